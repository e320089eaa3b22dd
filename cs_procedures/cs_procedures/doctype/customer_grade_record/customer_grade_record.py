"""客户分级表 (002 ch3 §8): one customer's grade for one year, written by the grading only.

The grading reads the year's submitted Sales Invoices (returns deducted) in one grouped query,
grades every customer with the pure rules of `cs_procedures.procedures.grading`, and writes the
year's records and the customers' current grade in a constant number of statements. It runs as a
long background job, on demand (CS Manager) and every 1 January for the year just ended.
"""

import frappe
from frappe import _
from frappe.utils import cint, cstr, getdate, now_datetime

from cs_procedures import bulk, guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import check_bands, grading_settings
from cs_procedures.procedures import grading as rules

RECORD = "Customer Grade Record"
SERIES = "CGR-.######"
GRADERS = (people.CS_MANAGER, "System Manager")
FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "customer",
	"customer_name", "grading_year", "company", "grade", "computed_grade", "previous_grade", "sales",
	"share", "method", "graded_on", "graded_by", "overridden",
)  # fmt: skip


class CustomerGradeRecord(guards.ProcedureDocument):
	def validate(self):
		if not self.flags.cs_procedure:
			guards.refuse(
				_("Customer grades are written by the grading and by approved grade changes only."),
				title=_("Written by the Procedure"),
			)

	def on_trash(self):
		guards.refuse_deletion(self, _("a customer's grade is kept as the history of its grades."))


def year_sales(year: int, company: str | None = None, previous: bool = False) -> dict:
	"""Net sales (base net total of submitted Sales Invoices, returns deducted) by customer in `year`."""
	conditions = "docstatus = 1 and posting_date between %(start)s and %(end)s"
	if company:
		conditions += " and company = %(company)s"
	# left to itself MariaDB walks the customer index to group, one random read per invoice (10 s
	# for 200,000 invoices); without it, it reads the year's range or the table once (under 2 s)
	hint = "ignore index (customer)" if frappe.db.db_type == "mariadb" else ""
	rows = frappe.db.sql(
		f"""select customer, sum(base_net_total) from `tabSales Invoice` {hint}
		where {conditions} group by customer""",
		{"start": f"{year}-01-01", "end": f"{year}-12-31", "company": company},
	)
	return {customer: total for customer, total in rows if customer}


def grade_customers(year: int, progress: bool = False) -> dict:
	"""Grade every customer (enabled, or with sales in `year`) for `year`; returns counts by grade."""
	year = cint(year)
	if year < 1900 or year > getdate().year:
		frappe.throw(_("Grade a year that has begun: {0} is not one.").format(year), title=_("Invalid Year"))
	settings = grading_settings()
	check_bands(settings.bands)

	def report(percent, description):
		if progress:
			frappe.publish_progress(percent, title=_("Grading Customers"), description=description)

	report(5, _("Reading the sales of {0}").format(year))
	sales = year_sales(year, settings.company)
	customers = {
		row[0]: row[1]
		for row in frappe.db.sql("select name, customer_name, disabled from `tabCustomer`")
		if not row[2] or row[0] in sales
	}
	amounts = {customer: sales.get(customer, 0) for customer in customers}
	graded = rules.grade_all(amounts, settings.method, settings.bands)
	report(30, _("Graded {0} customers").format(len(graded)))
	report(50, _("Writing {0} grade records").format(len(graded)))
	grades, created = write_grade_records(year, settings, graded, customers)
	report(80, _("Setting the customers' grades"))
	set_customer_grades(grades, year)
	report(100, _("Done"))
	counts = dict.fromkeys(rules.GRADES, 0)
	for grade in grades.values():
		counts[grade] = counts.get(grade, 0) + 1
	return {"year": year, "customers": len(grades), "created": created, "grades": counts}


def write_grade_records(year: int, settings, graded: dict, customers: dict) -> tuple[dict, int]:
	"""One grade record per customer and year, inserted or updated in bulk; a grade the manager
	changed (overridden) is kept. Returns each customer's grade and how many records are new."""
	records = frappe.db.sql(
		"""select name, customer, grading_year, grade, overridden from `tabCustomer Grade Record`
		where grading_year in (%(year)s, %(last)s)""",
		{"year": year, "last": year - 1},
		as_dict=True,
	)
	previous = {row.customer: row.grade for row in records if row.grading_year == year - 1}
	existing = {row.customer: row for row in records if row.grading_year == year}
	now, user = now_datetime(), frappe.session.user
	rows, grades, created = [], {}, 0
	new_customers = [customer for customer in graded if customer not in existing]
	names = iter(bulk.reserve_names(SERIES, len(new_customers)))
	for customer, result in graded.items():
		record = existing.get(customer)
		grade = record.grade if record and record.overridden else result.grade
		created += not record
		rows.append(
			(
				record.name if record else next(names), now, now, user, user, 0, 0, customer,
				customers.get(customer) or customer, year, settings.company, grade, result.grade,
				previous.get(customer), float(result.sales), result.share_percent, settings.method,
				now, user, record.overridden if record else 0,
			)
		)  # fmt: skip
		grades[customer] = grade
	# a change approved while the job runs is kept: the row's own flag decides, not what was read
	upsert(
		RECORD,
		FIELDS,
		rows,
		keep=("creation", "owner", "overridden"),
		expressions={"grade": "if(`overridden`, `grade`, values(`grade`))"},
	)
	return grades, created


def set_customer_grades(grades: dict, year: int) -> None:
	"""The customers' current grade, one update per grade and chunk; a later year's grade, or a grade
	the manager changed this year, is kept."""
	current = {
		row[0]: (row[1], cint(row[2]))
		for row in frappe.db.sql("select name, cs_grade, cs_grade_year from `tabCustomer`")
	}
	by_grade = {}
	for customer, grade in grades.items():
		stored = current.get(customer)
		if stored and stored[1] <= year and stored != (grade, year):
			by_grade.setdefault(grade, []).append(customer)
	for grade, names_of_grade in by_grade.items():
		for start in range(0, len(names_of_grade), bulk.CHUNK):
			part = names_of_grade[start : start + bulk.CHUNK]
			frappe.db.sql(
				f"""update `tabCustomer` set cs_grade = %s, cs_grade_year = %s
				where name in ({", ".join(["%s"] * len(part))}) and coalesce(cs_grade_year, 0) <= %s
				and name not in (select customer from `tabCustomer Grade Record`
					where grading_year = %s and overridden = 1)""",
				[grade, year, *part, year, year],
			)


def upsert(
	doctype: str,
	fields: tuple,
	rows: list,
	keep: tuple = (),
	expressions: dict | None = None,
	chunk: int = bulk.CHUNK,
) -> None:
	"""Insert `rows` or, for names that exist, update them (but the `keep` fields; `expressions`
	give the SQL of a field's new value) in one statement per `chunk` rows (a CASE update per
	field, as in bulk.set_values, grows with the square of the chunk)."""
	expressions = expressions or {}
	columns = ", ".join(f"`{field}`" for field in fields)
	updates = ", ".join(
		f"`{field}` = {expressions.get(field) or f'values(`{field}`)'}"
		for field in fields
		if field != "name" and field not in keep
	)
	row = f"({', '.join(['%s'] * len(fields))})"
	for start in range(0, len(rows), chunk):
		part = rows[start : start + chunk]
		frappe.db.sql(
			f"""insert into `tab{doctype}` ({columns}) values {", ".join([row] * len(part))}
			on duplicate key update {updates}""",
			[value for values in part for value in values],
		)


def run_grading(year: int):
	"""The background job: grade, commit, and tell the CS Manager who asked."""
	summary = grade_customers(year, progress=True)
	frappe.db.commit()
	return summary


@frappe.whitelist()
def enqueue_grading(year: int | str | None = None) -> str:
	"""Grade the customers for `year` in a long background job (CS Manager)."""
	if not guards.has_role(*GRADERS):
		guards.refuse(_("Only a CS Manager can grade the customers."))
	year = cint(year) or getdate().year
	if year < 1900 or year > getdate().year:
		frappe.throw(_("Grade a year that has begun: {0} is not one.").format(year), title=_("Invalid Year"))
	check_bands(grading_settings().bands)
	_enqueue_grading(year)
	return _("Grading the customers for {0} in the background.").format(year)


def grade_last_year():
	"""Scheduled every 1 January: the year just ended, in the long queue."""
	_enqueue_grading(getdate().year - 1)


def _enqueue_grading(year: int) -> None:
	"""One grading job per site and year at a time (a second request while it runs is dropped)."""
	frappe.enqueue(
		run_grading,
		queue="long",
		timeout=3600,
		year=year,
		job_id=f"cs_grade_customers_{frappe.local.site}_{year}",
		deduplicate=True,
	)


def set_customer_grade(customer: str, year: int, grade: str) -> None:
	"""The customer's current grade follows its latest graded year."""
	current_year = cint(frappe.db.get_value("Customer", customer, "cs_grade_year"))
	if current_year <= cint(year):
		frappe.db.set_value(
			"Customer", customer, {"cs_grade": grade, "cs_grade_year": cint(year)}, update_modified=False
		)


def guard_customer_grade(customer, method=None):
	"""Customer validate: the grade and the key-customer mark (it decides who gets the December
	survey) are written by the procedures (grading, Grade Change, Key Account Plan), never by a save."""
	before = customer.get_doc_before_save()

	def values(doc):
		if doc is None:
			return ("", 0, 0)
		return (cstr(doc.get("cs_grade")), cint(doc.get("cs_grade_year")), cint(doc.get("cs_key_customer")))

	if values(customer) != values(before) and not customer.flags.cs_grade_by_procedure:
		guards.refuse(
			_(
				"The customer's grade and key-customer mark are set by the yearly grading, an approved Customer Grade Change or a Key Account Plan, not by hand."
			),
			title=_("Written by the Procedure"),
		)
