// Notice templates loaded from a deployment's folder (`--templates DIR`;
// NoticeTemplates::Load and Render in notifier/templates.cpp, Mustache by kainjow).
//
// Input: a first line naming the template file (e.g. "case-referred.txt", "_summary.html"),
// then its text, written into a scratch folder. Names that are not plain file names are
// skipped (the target never writes outside its folder). Refused: a Status naming the file.
// Accepted: the notice of that kind renders (or is refused, never overflows the stack), its
// subject one line, to the board's address.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "casereview/notifier.hpp"
#include "fuzz_support.hpp"

using namespace casereview;
namespace fs = std::filesystem;

namespace {

const std::string& ScratchDir() {
  static const fuzz::ScratchFolder folder("templates");
  return folder.path();
}

bool PlainFileName(const std::string& name) {
  return !name.empty() && name.size() < 64 && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '.' || c == '_' || c == '-';
         });
}

// The kind a template file belongs to; a partial (_NAME.*) is rendered through case-referred.
std::string KindOf(const std::string& file) {
  if (file.starts_with("_")) return "case-referred";
  return fs::path(file).stem().string();
}

NoticeTemplates::Context BoardContext() {
  NoticeTemplates::Context ctx;
  ctx.board_name = "Northbridge LSCB";
  ctx.people["p-chair"] = Person{"p-chair", "demo", "Panel Chair", "chair@example.org", "", {"panel-chair"}};
  ctx.now = Instant{std::chrono::seconds{1770019200}};
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  const std::size_t eol = text.find('\n');
  if (eol == std::string_view::npos) return -1;
  const std::string name{text.substr(0, eol)};
  if (!PlainFileName(name)) return -1;
  const fs::path file = fs::path(ScratchDir()) / name;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text.substr(eol + 1);
  }
  Result<NoticeTemplates> templates = NoticeTemplates::Load(ScratchDir());
  std::error_code ec;
  fs::remove(file, ec);
  if (!templates.ok()) {
    fuzz::CheckRefusal(templates.status());
    return 0;
  }
  Notice n;
  n.id = "SCR-2026-001#3.0";
  n.review_ref = "SCR-2026-001";
  n.board_id = "demo";
  n.kind = KindOf(name);
  n.recipients = {"p-chair"};
  n.payload = R"({"review":"SCR-2026-001","stage":"Referred","task":"Consider the referral",)"
              R"("due_date":"2026-02-09","agencies":["csc","police"],"meeting":{"date":"2026-02-05"}})";
  Result<Email> m = templates->Render(n, BoardContext());
  if (!m.ok()) {  // only a partial including itself inside a section the trial render skipped
    fuzz::CheckRefusal(m.status());
    return 0;
  }
  FUZZ_CHECK(m->subject.find_first_of("\r\n") == std::string::npos, "a subject is one line");
  FUZZ_CHECK(m->to.size() == 1 && m->to[0].email == "chair@example.org", "sent to the board's address");
  return 0;
}
