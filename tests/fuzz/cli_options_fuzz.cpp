// The command line's configuration: the mail options (app/mail_options.*: --smtp-*, --from,
// --base-url, --max-attempts, ... through CLI11 into OpenDelivery) and an event's fields
// given as --set FIELD=VALUE and --json (FieldsFrom in app/cli.cpp).
//
// Input: one argument per line, the first "mail" or "fields" (the latter then takes
// "--event NAME", "--set K=V" and "--json TEXT"). Paths are never the fuzzer's: the password
// file, the mail drop and the templates folder are redirected into a scratch folder.
// Refused: CLI11's ParseError (the CLI prints it and exits non-zero) or a Status naming the
// option. Accepted: the sender has an address with an '@' and no line break, and fields are
// a JSON object.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fuzz_support.hpp"
#include "mail_options.hpp"

using namespace casereview;
namespace fs = std::filesystem;

namespace {

// The scratch folder, with the password file the mail options may name.
const std::string& ScratchDir() {
  static const fuzz::ScratchFolder folder("cli");
  static const bool written = static_cast<bool>(std::ofstream(folder.path() + "/password") << "secret\n");
  FUZZ_CHECK(written, "the scratch password file");
  return folder.path();
}

std::vector<std::string> Arguments(std::string_view text) {
  std::vector<std::string> args;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    args.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

void Mail(std::vector<std::string> args) {
  CLI::App app{"casereview"};
  cli::MailOptions options;
  options.AddTo(&app);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    fuzz::ShowRefusal("(CLI11, exit " + std::to_string(e.get_exit_code()) + ") " + e.what());
    FUZZ_CHECK(e.get_exit_code() != 0 || dynamic_cast<const CLI::Success*>(&e) != nullptr,
               "a parse error (other than --help) exits non-zero");
    return;
  }
  if (!options.smtp_password_file.empty()) options.smtp_password_file = ScratchDir() + "/password";
  if (!options.templates.empty()) options.templates = ScratchDir() + "/no-such-templates";
  options.mail_drop = ScratchDir() + "/mail-drop";
  cli::Context ctx;
  ctx.db_path = ScratchDir() + "/casereview.db";
  Result<cli::Delivery> d = cli::OpenDelivery(options, ctx);
  if (!d.ok()) {
    fuzz::CheckRefusal(d.status());
    return;
  }
  const MailAddress& from = d->identity.from;
  FUZZ_CHECK(from.email.find('@') != std::string::npos, "the sender has an address");
  FUZZ_CHECK(from.email.find_first_of("\r\n") == std::string::npos &&
                 from.name.find_first_of("\r\n") == std::string::npos,
             "no header can be injected through --from");
  FUZZ_CHECK(d->mailer != nullptr, "a mailer is opened");
  FUZZ_CHECK(d->policy.max_attempts >= 1 && d->policy.first_retry.count() >= 1, "the retry policy is sane");
}

void Fields(std::vector<std::string> args) {
  CLI::App app{"casereview"};
  std::string event, json;
  std::vector<std::string> sets;
  app.add_option("--event", event);
  app.add_option("--set", sets);
  app.add_option("--json", json);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    fuzz::ShowRefusal("(CLI11, exit " + std::to_string(e.get_exit_code()) + ") " + e.what());
    return;
  }
  Result<nlohmann::json> fields = cli::FieldsFrom(event, sets, json);
  if (!fields.ok()) {
    fuzz::CheckRefusal(fields.status());
    return;
  }
  FUZZ_CHECK(fields->is_object(), "fields are a JSON object");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args = Arguments(fuzz::AsText(data, size));
  const std::string mode = args.front();
  args.erase(args.begin());
  if (mode == "mail") Mail(std::move(args));
  else if (mode == "fields") Fields(std::move(args));
  else return -1;
  return 0;
}
