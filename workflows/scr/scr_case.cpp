#include "scr/scr_case.hpp"

#include <algorithm>

#include "common/interned_text.hpp"

namespace casereview {
namespace {

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

bool Participant::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Participant Participant::FromJson(const nlohmann::json& resolved) {
  Participant p;
  p.id = InternedText(resolved.value("id", ""));
  p.agency = InternedText(resolved.value("agency", ""));
  p.sector = InternedText(resolved.value("sector", ""));
  if (auto it = resolved.find("roles"); it != resolved.end() && it->is_array()) {
    p.roles.reserve(it->size());
    for (const auto& r : *it) p.roles.push_back(InternedText(r.get<std::string>()));
  }
  return p;
}

const Extension* ScrCase::PendingExtension() const {
  for (const auto& e : extensions)
    if (e.status == "requested") return &e;
  return nullptr;
}

ParallelProceeding* ScrCase::FindProceeding(const std::string& id) {
  for (auto& p : proceedings)
    if (p.id == id) return &p;
  return nullptr;
}

const ParallelProceeding* ScrCase::FindProceeding(const std::string& id) const {
  return const_cast<ScrCase*>(this)->FindProceeding(id);  // same lookup; no mutation
}

std::string QuorumShortfall(const QuorumRule& rule, const std::vector<Participant>& attendees) {
  std::vector<std::string> missing;
  bool chair = std::any_of(attendees.begin(), attendees.end(),
                           [](const Participant& p) { return p.HasRole("panel-chair"); });
  if (rule.chair_required && !chair) missing.push_back("the panel chair was not present");
  std::set<std::string> agencies, sectors;
  for (const auto& p : attendees) {
    if (!p.agency.empty()) agencies.insert(std::string(p.agency));
    if (!p.sector.empty()) sectors.insert(std::string(p.sector));
  }
  if (static_cast<int>(agencies.size()) < rule.min_agencies)
    missing.push_back(std::to_string(agencies.size()) + " agencies were represented (the rule needs " +
                      std::to_string(rule.min_agencies) + ")");
  for (const auto& s : rule.required_sectors)
    if (!sectors.count(s)) missing.push_back("no one from " + s + " was present");
  return JoinList(missing);
}

std::string PanelIndependenceShortfall(const ScrCase& c, const std::vector<Participant>& members) {
  bool independent = std::any_of(members.begin(), members.end(), [&](const Participant& p) {
    return p.agency.empty() || !c.involved_agencies.count(std::string(p.agency));
  });
  return independent ? ""
                     : "at least one member must come from an agency not involved in the case "
                       "(every member is from an involved agency)";
}

std::string CommissioningShortfall(const ScrCase& c) {
  std::vector<std::string> missing;
  if (c.review_panel.empty()) missing.push_back("the review panel formed (ReviewPanelFormed)");
  if (!c.terms_of_reference_agreed)
    missing.push_back("terms of reference agreed (TermsOfReferenceAgreed)");
  if (c.overview_writer.empty())
    missing.push_back("an overview writer appointed (OverviewWriterAppointed)");
  std::vector<std::string> no_imr;
  for (const auto& a : c.involved_agencies)
    if (!c.imrs.count(a)) no_imr.push_back(a);
  if (!no_imr.empty()) missing.push_back("an IMR commissioned from: " + JoinList(no_imr));
  return JoinList(missing);
}

std::vector<std::string> ImrsOutstanding(const ScrCase& c) {
  std::vector<std::string> out;
  for (const auto& [agency, imr] : c.imrs)
    if (!imr.IsSignedOff()) out.push_back(agency);
  return out;
}

std::vector<std::string> ActionsOutstanding(const ScrCase& c) {
  std::vector<std::string> out;
  for (const auto& [id, action] : c.actions)
    if (!action.IsDone()) out.push_back(id);
  return out;
}

}  // namespace casereview
