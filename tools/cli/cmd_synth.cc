// mxstate synth: writes a generated signed room (tools/synth/room_synth.h)
// to a folder: the events as JSON Lines, the servers' key documents (for
// `--keys`), and synth.json describing the room and its scripted episodes.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/canonical_json.h"
#include "synth/room_synth.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

constexpr const char* kRuleSynth = "mxstate synth";

Result<void> WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f << text;
  if (!f || !f.flush()) {
    return Fail("io.unwritable", kRuleSynth,
                "cannot write " + vectors::SanitizeUtf8(path.string()) + ": " +
                    std::strerror(errno));
  }
  return {};
}

// synth.json: how the room was made and what it holds.
Json Description(const synth::SynthRoom& room, const std::string& command,
                 const synth::SynthOptions& o) {
  Json d = Json::EmptyObject();
  d.Set("command", command);
  d.Set("room_version", std::string(o.rules->id));
  d.Set("seed", static_cast<int64_t>(o.seed));
  d.Set("room_id", room.room_id);
  d.Set("events", static_cast<int64_t>(room.events.size()));
  Json::Array servers;
  for (const synth::SynthServer& s : room.servers) servers.emplace_back(s.name);
  d.Set("servers", Json(std::move(servers)));
  d.Set("forks", static_cast<int64_t>(room.fork_count));
  d.Set("merges", static_cast<int64_t>(room.merge_count));
  Json::Array notes;
  for (const std::string& n : room.notes) notes.emplace_back(n);
  d.Set("notes", Json(std::move(notes)));
  if (room.has_reset) {
    Json r = Json::EmptyObject();
    r.Set("merge_event", room.reset.merge_event);
    r.Set("state_key", room.reset.member);
    r.Set("type", "m.room.member");
    r.Set("resolved_to", room.reset.ban_event);
    r.Set("lost", room.reset.unban_event);
    d.Set("state_reset", std::move(r));
  }
  return d;
}

}  // namespace

int RunSynth(const Args& args) {
  po::options_description options("Options");
  std::string version = "10", out;
  synth::SynthOptions o;
  options.add_options()
      ("version", po::value(&version), "room version (default 10)")
      ("seed", po::value(&o.seed), "seed of the generator and the server keys (default 1)")
      ("events", po::value(&o.events), "about this many events (default 200)")
      ("servers", po::value(&o.servers), "servers, 1-26 (default 3)")
      ("members", po::value(&o.members), "members besides the two admins (default 12)")
      ("forks", po::value(&o.forks), "forks of the DAG (default 3)")
      ("with-reset", po::bool_switch(&o.with_reset), "script a state reset (synapse#6520 style)")
      ("out", po::value(&out), "write the room here (required; created if missing)");
  po::positional_options_description positional;
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate synth --out DIR [--version V] [--seed N] [--events N] [--servers N]\n"
           "                        [--members N] [--forks N] [--with-reset]",
           "Generates a realistic signed room, the same bytes for the same options:\n"
           "servers with ed25519 keys derived from the seed, members joining,\n"
           "talking, leaving, kicked and banned, power changes, forks and merges;\n"
           "the first fork races a ban against a power change, and --with-reset\n"
           "adds a state reset (an unban lost at a merge). Every event passes the\n"
           "checks on receipt. Writes DIR/events.jsonl, DIR/keys/<server>.json\n"
           "(federation key documents, for --keys) and DIR/synth.json (the\n"
           "command, counts, and the events of each scripted episode), then:\n"
           "  mxstate room --keys DIR/keys DIR/events.jsonl\n"
           "Exit 0 written; 2 usage error; 3 unwritable output; 1 the reset is not\n"
           "possible in this room version (synth.no_reset).\n"},
          &vm)) {
    return kExitOk;
  }
  if (out.empty()) throw UsageError("--out DIR is required");
  o.rules = &RoomVersionOrThrow(version);
  Result<synth::SynthRoom> room = synth::SynthesizeRoom(o);
  if (!room) {
    PrintError(room.error());
    return room.error().code == "synth.bad_option" ? kExitUsage : kExitNo;
  }
  std::error_code ec;
  const std::filesystem::path dir(out);
  std::filesystem::create_directories(dir / "keys", ec);
  if (ec) {
    PrintError(Error{"io.unwritable", kRuleSynth,
                     "cannot create " + vectors::SanitizeUtf8(out) + ": " + ec.message()});
    return kExitNoVerdict;
  }
  std::string lines;
  for (const Json& e : room->events) lines += CanonicalJson(e) + "\n";
  std::string command = "mxstate synth --version " + version + " --seed " +
                        std::to_string(o.seed) + " --events " + std::to_string(o.events) +
                        " --servers " + std::to_string(o.servers) + " --members " +
                        std::to_string(o.members) + " --forks " + std::to_string(o.forks) +
                        (o.with_reset ? " --with-reset" : "") + " --out DIR";
  Result<void> w = WriteText(dir / "events.jsonl", lines);
  for (const synth::SynthServer& s : room->servers) {
    if (w) w = WriteText(dir / "keys" / (s.name + ".json"), CanonicalJson(s.key_document) + "\n");
  }
  if (w) w = WriteText(dir / "synth.json", CanonicalJson(Description(*room, command, o)) + "\n");
  if (!w) {
    PrintError(w.error());
    return kExitNoVerdict;
  }
  std::cout << "room " << room->room_id << " (room version " << o.rules->id << "): "
            << room->events.size() << " events, " << room->servers.size() << " servers, "
            << room->fork_count << " forks, " << room->merge_count << " merges\n";
  for (const std::string& n : room->notes) std::cout << n << "\n";
  std::cout << "wrote " << vectors::SanitizeUtf8((dir / "events.jsonl").string()) << ", "
            << vectors::SanitizeUtf8((dir / "keys").string()) << "/, "
            << vectors::SanitizeUtf8((dir / "synth.json").string()) << "\n";
  return kExitOk;
}

}  // namespace mxstate::cli
