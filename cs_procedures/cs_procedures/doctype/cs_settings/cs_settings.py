import frappe
from frappe import _
from frappe.utils import get_time

from cs_procedures import guards
from cs_procedures.notifications import can_email
from cs_procedures.procedures import grading
from cs_procedures.procedures.calendar import WorkingCalendar


class CSSettings(guards.ProcedureDocument):
	def onload(self):
		self.set_onload("can_email", can_email())

	def validate(self):
		if get_time(self.work_end_time) <= get_time(self.work_start_time):
			frappe.throw(_("The working day must end after it starts."), title=_("Working Hours"))
		for field in ("sheet_issue_hours", "countermeasure_hours", "escalate_after_hours"):
			if (self.get(field) or 0) <= 0:
				frappe.throw(
					_("{0} must be greater than zero.").format(_(self.meta.get_label(field))),
					title=_("Complaint Deadlines"),
				)
		seen = set()
		for row in self.complaint_departments:
			if row.complaint_type in seen:
				frappe.throw(
					_("Row {0}: complaint type {1} is mapped twice.").format(row.idx, _(row.complaint_type)),
					title=_("Responsible Departments"),
				)
			seen.add(row.complaint_type)
		grades = [row.grade for row in self.get("visit_intervals") or ()]
		for grade in {grade for grade in grades if grades.count(grade) > 1}:
			frappe.throw(
				_("Customer grade {0} is given two visit frequencies.").format(grade),
				title=_("Customer Visits"),
			)

		if self.get("grade_bands"):
			check_bands([(row.grade, row.min_share) for row in self.grade_bands])

	def visit_interval_map(self) -> dict[str, int]:
		"""Days between two visits by customer grade (Customer Visits section)."""
		return {row.grade: row.interval_days or 0 for row in self.get("visit_intervals") or ()}

	def gate_applies(self, gate: str, company: str | None) -> bool:
		"""Whether the switched-on `gate` (a Check of these settings) holds for `company`'s documents."""
		return bool(self.get(gate)) and company in {
			row.company for row in self.get("procedure_companies") or ()
		}

	def adopt_companies(self, companies) -> list[str]:
		"""List `companies` as following these procedures (the caller saves); the ones newly listed."""
		listed = {row.company for row in self.get("procedure_companies") or ()}
		added = [company for company in companies if company and company not in listed]
		for company in added:
			self.append("procedure_companies", {"company": company})
		return added

	def department_map(self) -> dict[str, str]:
		return {row.complaint_type: row.department for row in self.complaint_departments}

	def holiday_list_name(self) -> str | None:
		if self.holiday_list:
			return self.holiday_list
		company = frappe.defaults.get_defaults().get("company")
		return company and frappe.get_cached_value("Company", company, "default_holiday_list")

	def calendar(self) -> WorkingCalendar:
		holiday_list = self.holiday_list_name()
		holidays = (
			frappe.get_all("Holiday", filters={"parent": holiday_list}, pluck="holiday_date")
			if holiday_list
			else []
		)
		return WorkingCalendar.of(
			get_time(self.work_start_time),
			get_time(self.work_end_time),
			holidays,
			clock_hours=self.get("deadline_hours") == CLOCK_HOURS,
		)


CLOCK_HOURS = "Clock Hours"


def get_settings() -> CSSettings:
	return frappe.get_cached_doc("CS Settings")


def grading_settings() -> frappe._dict:
	"""Method, company and bands from CS Settings; the seed's bands when none are set."""
	settings = frappe.get_cached_doc("CS Settings")
	bands = [(row.grade, row.min_share) for row in settings.get("grade_bands") or ()]
	return frappe._dict(
		method=settings.get("grading_method") or grading.CUMULATIVE,
		company=settings.get("grading_company") or None,
		bands=bands or list(grading.DEFAULT_BANDS),
	)


def check_bands(bands) -> None:
	messages = {
		grading.NO_BANDS: _("Give at least one grade band."),
		grading.DUPLICATE_GRADE: _("Grade {0} has two bands."),
		grading.UNKNOWN_GRADE: _("{0} is not a grade (A to E)."),
		grading.OUT_OF_RANGE: _("The band of grade {0} must start between 0 % and 100 %."),
		grading.DUPLICATE_MINIMUM: _("The band of grade {0} starts where another band starts."),
		grading.NO_ZERO_BAND: _("The lowest band must start at 0 %, so that every customer gets a grade."),
	}
	problems = grading.band_problems(bands)
	if problems:
		frappe.throw(
			"<br>".join(messages[problem].format(grade) for problem, grade in problems),
			title=_("Grade Bands"),
		)
