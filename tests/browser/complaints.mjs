// A customer logs in to the portal on a phone, files a complaint with a photo, finds it in their
// list as "Received", opens a complaint that was replied to, and accepts the reply; the portal user
// of another customer then sees none of it.
// Usage: node complaints.mjs <site url> <screenshot dir> '<JSON of cs_procedures.testing.browser_complaint>'
import { chromium } from "playwright-core";

const [base, shots = ".", fixtureJson = "{}"] = process.argv.slice(2);
const fixture = JSON.parse(fixtureJson);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync"],
});
const failures = [];
let passed = 0;
const check = (ok, what) => {
	if (ok) passed += 1;
	console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
	if (!ok) failures.push(what);
};
// a 1x1 PNG, the "photo" of the damage
const PNG = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
	"base64",
);
try {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));

	const login = await page.request.post(`${base}/api/method/login`, { form: { usr: fixture.user, pwd: fixture.password } });
	check(login.ok(), "the portal user logs in");

	// file
	await page.goto(`${base}/complaints/new`, { waitUntil: "networkidle" });
	await page.fill("#cs-subject", "Scratched panels <b>x</b>");
	await page.selectOption("#cs-type", "Quality");
	await page.fill("#cs-qty", "12");
	await page.fill("#cs-defect-qty", "3");
	await page.fill("#cs-description", "Three of the twelve panels arrived scratched.");
	await page.selectOption("#cs-request", "Replacement");
	await page.setInputFiles("#cs-files", { name: "scratch.png", mimeType: "image/png", buffer: PNG });
	const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
	check(!wide, "the complaint form fits the phone's width");
	await page.screenshot({ path: `${shots}/complaint-new.png`, fullPage: true });
	await page.click("#cs-complaint-form button[type=submit]");
	await page.waitForURL(/\/complaints\/view\?name=/, { timeout: 20000 });
	check(await page.locator("#cs-complaint-filed").isVisible(), "filing shows the thank-you message");
	check((await page.locator("#cs-complaint-state").innerText()).trim() === "Received", "the new complaint is Received");
	check((await page.locator("#cs-complaint-subject").innerText()).includes("<b>x</b>"), "markup in the subject is shown as text");
	check(await page.locator("#cs-attachments a", { hasText: "scratch.png" }).isVisible(), "the photo is attached");
	const filed = new URL(page.url()).searchParams.get("name");

	// follow
	await page.goto(`${base}/complaints`, { waitUntil: "networkidle" });
	const row = page.locator(`.cs-complaint-row[data-name="${filed}"]`);
	check((await row.count()) === 1, "the list shows the filed complaint");
	check((await row.innerText()).includes("Received"), "the list gives its state in the customer's words");
	await page.screenshot({ path: `${shots}/complaint-list.png`, fullPage: true });

	// accept
	await page.goto(`${base}/complaints/view?name=${encodeURIComponent(fixture.replied)}`, { waitUntil: "networkidle" });
	check((await page.locator("#cs-complaint-reply").innerText()).includes("changed carriers"), "the reply is shown");
	await page.click("#cs-answer-form button[type=submit]");
	check(await page.locator("#cs-answer-error").isVisible(), "sending no answer shows an error");
	await page.locator("#cs-answer-form label", { hasText: "Yes" }).click();
	await page.fill("#cs-feedback", "Thank you.");
	await Promise.all([page.waitForEvent("load", { timeout: 20000 }), page.click("#cs-answer-form button[type=submit]")]);
	await page.locator("#cs-answer-given").waitFor({ state: "visible", timeout: 15000 });
	check((await page.locator("#cs-answer-form").count()) === 0, "after accepting, the answer form is gone");
	check((await page.locator("#cs-answer-given").innerText()).includes("You accepted"), "the page says the reply was accepted");
	await page.screenshot({ path: `${shots}/complaint-accepted.png`, fullPage: true });
	check(errors.length === 0, `no JavaScript errors ${errors.join(" | ")}`);

	// isolation: the portal user of another customer gets nothing of these complaints
	const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const otherPage = await other.newPage();
	const otherLogin = await otherPage.request.post(`${base}/api/method/login`, {
		form: { usr: fixture.other_user, pwd: fixture.other_password },
	});
	check(otherLogin.ok(), "the other customer's portal user logs in");
	await otherPage.goto(`${base}/complaints`, { waitUntil: "networkidle" });
	const listing = await otherPage.content();
	check(!listing.includes(filed) && !listing.includes("Scratched panels"), "the other customer's list does not show it");
	await otherPage.goto(`${base}/complaints/view?name=${encodeURIComponent(filed)}`, { waitUntil: "networkidle" });
	const view = await otherPage.content();
	check(view.includes("not one of yours") && !view.includes("Scratched panels"), "the other customer cannot open it");
	await other.close();
} catch (e) {
	failures.push(String(e));
	console.log(`FAIL ${e}`);
} finally {
	await browser.close();
}
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
