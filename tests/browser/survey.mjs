// A customer opens the personal survey link, answers every question, submits and sees the
// thank-you message; opening the link again says it was answered.
// Usage: node survey.mjs <survey url> <screenshot dir>
import { chromium } from "playwright-core";

const [url, shots = "."] = process.argv.slice(2);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (ok, what) => {
	console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
	if (!ok) failures.push(what);
};
try {
	const page = await browser.newPage({ viewport: { width: 420, height: 900 } }); // a phone
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	await page.goto(url, { waitUntil: "networkidle" });
	const questions = page.locator(".cs-survey__q");
	check((await questions.count()) === 5, "the questionnaire shows 5 questions");

	await page.click("button[type=submit]");
	check(await page.locator("#cs-survey-error").isVisible(), "submitting with no answer shows an error");

	for (let i = 0; i < 5; i++) await questions.nth(i).locator(".cs-survey__level").nth(i % 3).click();
	await page.fill("#cs-comments", "Packaging could be sturdier.");
	await page.fill("#cs-respondent", "Li Wei, purchasing");
	await page.screenshot({ path: `${shots}/survey-portal.png`, fullPage: true });
	await page.click("button[type=submit]");
	await page.locator("#cs-survey-thanks").waitFor({ state: "visible", timeout: 15000 });
	check(true, "the thank-you message appears after submitting");
	await page.screenshot({ path: `${shots}/survey-thanks.png` });

	await page.goto(url, { waitUntil: "networkidle" });
	check((await page.content()).includes("already been answered"), "the used link says the survey was answered");
	check(errors.length === 0, `no JavaScript errors ${errors.join(" | ")}`);
} finally {
	await browser.close();
}
console.log(`${5 - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
