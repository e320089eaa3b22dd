import frappe
from frappe import _
from frappe.utils import get_time

from cs_procedures import guards
from cs_procedures.notifications import can_email
from cs_procedures.procedures import grading
from cs_procedures.procedures.calendar import WorkingCalendar


class CSSettings(guards.ProcedureDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from cs_procedures.cs_procedures.doctype.cs_complaint_department.cs_complaint_department import (
			CSComplaintDepartment,
		)
		from cs_procedures.cs_procedures.doctype.cs_procedure_company.cs_procedure_company import (
			CSProcedureCompany,
		)
		from cs_procedures.cs_procedures.doctype.cs_review_department.cs_review_department import (
			CSReviewDepartment,
		)
		from cs_procedures.cs_procedures.doctype.cs_visit_interval.cs_visit_interval import CSVisitInterval
		from cs_procedures.cs_procedures.doctype.customer_grade_band.customer_grade_band import (
			CustomerGradeBand,
		)
		from cs_procedures.cs_procedures.doctype.satisfaction_survey_schedule.satisfaction_survey_schedule import (
			SatisfactionSurveySchedule,
		)

		after_sales_survey_days: DF.Int
		after_sales_survey_template: DF.Link | None
		allow_sales_only_handling: DF.Check
		complaint_departments: DF.Table[CSComplaintDepartment]
		countermeasure_hours: DF.Float
		default_visit_interval_days: DF.Int
		escalate_after_hours: DF.Float
		grade_bands: DF.Table[CustomerGradeBand]
		grading_company: DF.Link | None
		grading_method: DF.Literal[
			"Cumulative Share of Sales", "Share of the Largest Customer's Sales", "Percentile of Customers"
		]
		holiday_list: DF.Link | None
		procedure_companies: DF.TableMultiSelect[CSProcedureCompany]
		require_order_review: DF.Check
		returns_need_approval: DF.Check
		review_departments: DF.Table[CSReviewDepartment]
		sales_reply_hours: DF.Float
		share_survey_results_on_portal: DF.Check
		sheet_issue_hours: DF.Float
		survey_reminder_days: DF.Data | None
		survey_schedules: DF.Table[SatisfactionSurveySchedule]
		vice_president: DF.Link | None
		visit_intervals: DF.Table[CSVisitInterval]
		visit_plan_tolerance_days: DF.Int
		work_end_time: DF.Time
		work_start_time: DF.Time

	# end: auto-generated types
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
