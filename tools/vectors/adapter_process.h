// One adapter process: `/bin/sh -c COMMAND` with pipes on its stdin and
// stdout, asked one line at a time under a deadline. Everything the adapter
// does is untrusted: it may never answer, answer forever, die, or close its
// pipes, and none of that may hang or crash mxstate or leave a process
// behind.
//
// The adapter runs in its own process group so that a timeout kills
// whatever the shell started too. Its stderr is mxstate's stderr (adapter
// diagnostics stay visible and cannot fill a pipe nobody reads).
#ifndef MXSTATE_TOOLS_VECTORS_ADAPTER_PROCESS_H_
#define MXSTATE_TOOLS_VECTORS_ADAPTER_PROCESS_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace mxstate::vectors {

struct Exchange {
  enum class Kind {
    kLine,         // `line` holds one answer line (without the newline)
    kTimeout,      // no full line before the deadline; the adapter was killed
    kExited,       // the adapter closed its stdout or died; see `detail`
    kTooLong,      // the line grew past the bound; the adapter was killed
    kStartFailed,  // the adapter could not be started; see `detail`
  };
  Kind kind = Kind::kStartFailed;
  std::string line;
  std::string detail;  // "exited with status 3", "killed by signal 11 (...)"
};

class AdapterProcess {
 public:
  AdapterProcess(std::string command, size_t max_line_bytes);
  ~AdapterProcess();  // stops the adapter (Stop)
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  // Writes `request` plus a newline (starting the adapter when it is not
  // running) and waits at most `timeout_ms` for one line back. After any
  // result but kLine the adapter is stopped and reaped; the next call starts
  // a fresh one.
  Exchange Ask(std::string_view request, int timeout_ms);

  // Closes the adapter's stdin, gives it a moment to exit, then kills its
  // process group and reaps it. Safe to call when not running.
  void Stop();

  bool running() const { return pid_ > 0; }
  // How many times the adapter has been started.
  size_t starts() const { return starts_; }

 private:
  bool Start(std::string* problem);
  // Kills the group, reaps the adapter, returns how it ended.
  std::string KillAndReap();

  std::string command_;
  size_t max_line_bytes_;
  pid_t pid_ = -1;
  int to_child_ = -1;    // the adapter's stdin
  int from_child_ = -1;  // the adapter's stdout
  std::string pending_;  // bytes read past the last line
  size_t starts_ = 0;
};

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_ADAPTER_PROCESS_H_
