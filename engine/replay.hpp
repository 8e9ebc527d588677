// Rebuilding a review's machine from its log, and the read model that goes with it.
#pragma once

#include <string>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/store.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {

// The rules object stored inside CaseReferred's payload under "rules".
nlohmann::json RulesToJson(const ScrRules& r);
Result<ScrRules> RulesFromJson(const nlohmann::json& j);

// Replays a whole SCR log (CaseReferred first). Corruption names the event that does not
// replay; a log this build's machine cannot read is named as such.
Result<ScrWorkflow> ReplayScr(const std::vector<StoredEvent>& log);

// The review record after `w`'s latest event.
ReviewRecord ScrRecord(const ScrWorkflow& w, const std::string& board_id, Instant opened_at,
                       Instant updated_at, std::int64_t last_seq);

}  // namespace casereview
