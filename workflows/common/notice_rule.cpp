#include "common/notice_rule.hpp"

#include "common/review_kind.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;

std::string FieldText(const Json& fields, std::string_view field) {
  return fields.value(std::string(field), std::string());
}

PersonIds Joined(PersonIds a, const PersonIds& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

PersonIds SelectStandingPanel(const NoticeContext& c, std::string_view) {
  return Joined(PanelChairs(c.people), PeopleWithRole(c.people, "panel-member"));
}

PersonIds SelectPanelChair(const NoticeContext& c, std::string_view) { return PanelChairs(c.people); }

PersonIds SelectBoardChair(const NoticeContext& c, std::string_view) { return BoardChairs(c.people); }

PersonIds SelectPersonNamedIn(const NoticeContext& c, std::string_view field) {
  return {PersonIdIn(c.fields, field)};
}

// With no agency named, every agency's senior managers (PeopleWithRole's empty agency).
PersonIds SelectSeniorManagersOfAgencyIn(const NoticeContext& c, std::string_view field) {
  return PeopleWithRole(c.people, "senior-manager", FieldText(c.fields, field));
}

PersonIds SelectReportHolders(const NoticeContext& c, std::string_view field) {
  auto holders = HoldersOfReport(c.kind, c.review, FieldText(c.fields, field));
  if (!holders) return {};
  return {holders->author, holders->senior_manager};
}

PersonIds SelectReportSeniorManager(const NoticeContext& c, std::string_view field) {
  auto holders = HoldersOfReport(c.kind, c.review, FieldText(c.fields, field));
  if (!holders) return {};
  return {holders->senior_manager};
}

}  // namespace

PersonIds PeopleWithRole(const std::map<std::string, Person>& people, std::string_view role,
                         std::string_view agency) {
  PersonIds ids;
  for (const auto& [id, p] : people)
    if (p.HasRole(role) && (agency.empty() || p.agency_id == agency)) ids.push_back(id);
  return ids;
}

PersonIds PanelChairs(const std::map<std::string, Person>& people) {
  auto ids = PeopleWithRole(people, "panel-chair");
  return ids.empty() ? PeopleWithRole(people, "business-officer") : ids;
}

PersonIds BoardChairs(const std::map<std::string, Person>& people) {
  auto ids = PeopleWithRole(people, "board-chair");
  return ids.empty() ? PanelChairs(people) : ids;
}

std::string PersonIdIn(const Json& fields, std::string_view field) {
  const std::string key(field);
  if (!fields.contains(key)) return "";
  const Json& v = fields[key];
  return v.is_object() ? v.value("id", "") : v.is_string() ? v.get<std::string>() : "";
}

std::optional<ReportHolders> HoldersOfReport(const ReviewKind& kind, const ReviewWorkflow& review,
                                             std::string_view agency) {
  if (kind.reports.holders == nullptr) return std::nullopt;
  return kind.reports.holders(review, agency);
}

RecipientSelector StandingPanel() { return {SelectStandingPanel, {}}; }
RecipientSelector PanelChair() { return {SelectPanelChair, {}}; }
RecipientSelector BoardChair() { return {SelectBoardChair, {}}; }
RecipientSelector PersonNamedIn(std::string_view field) { return {SelectPersonNamedIn, field}; }
RecipientSelector SeniorManagersOfAgencyIn(std::string_view field) { return {SelectSeniorManagersOfAgencyIn, field}; }
RecipientSelector ReportHoldersForAgencyIn(std::string_view field) { return {SelectReportHolders, field}; }
RecipientSelector ReportSeniorManagerForAgencyIn(std::string_view field) {
  return {SelectReportSeniorManager, field};
}

}  // namespace casereview
