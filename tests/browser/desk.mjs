// Screenshots of desk pages as a given user (for the README; not part of CI).
// Usage: node desk.mjs <base url> <user> <password> <out dir> <name>=<route> ...
//   e.g. node desk.mjs http://127.0.0.1:8123 Administrator admin /tmp complaint=/app/customer-complaint/CC-2026-00001
// A route may end in @fieldname to scroll that field into view, or @@Button to open a button's menu.
import { chromium } from "playwright-core";

const [base, user, password, out, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
	const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: process.env.LOCALE || "en-US" });
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	const login = await page.request.post(`${base}/api/method/login`, { form: { usr: user, pwd: password } });
	if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
	for (const spec of pages) {
		const split = spec.indexOf("="); // the first "=": a route may hold a query string
		const [name, target] = [spec.slice(0, split), spec.slice(split + 1)];
		const [route, anchor] = target.split("@");
		await page.goto(`${base}${route}`, { waitUntil: "networkidle" });
		await page.waitForTimeout(1500);
		if (anchor && anchor.startsWith("@")) {
			await page.locator(`button:has-text("${anchor.slice(1)}")`).first().click();
			await page.waitForTimeout(1500);
		} else if (anchor) {
			await page.locator(`[data-fieldname="${anchor}"]`).first().scrollIntoViewIfNeeded();
			await page.evaluate(() => window.scrollBy(0, -80));
		}
		await page.screenshot({ path: `${out}/${name}.png`, fullPage: false });
		console.log(`${name}: ${route}`);
	}
	if (errors.length) console.log(`page errors: ${errors.join(" | ")}`);
} finally {
	await browser.close();
}
