import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time

from cs_procedures.notifications import can_email
from cs_procedures.procedures.calendar import WorkingCalendar


class CSSettings(Document):
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
		return WorkingCalendar.of(get_time(self.work_start_time), get_time(self.work_end_time), holidays)


def get_settings() -> CSSettings:
	return frappe.get_cached_doc("CS Settings")
