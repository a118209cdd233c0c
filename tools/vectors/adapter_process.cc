#include "vectors/adapter_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

extern char** environ;

namespace mxstate::vectors {
namespace {

using Clock = std::chrono::steady_clock;

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

std::string SignalText(int sig) {
  const char* name = strsignal(sig);
  return "signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    std::string text = "exited with status " + std::to_string(code);
    // /bin/sh reports a command killed by a signal as 128 + the signal.
    if (code > 128 && code < 128 + 65) {
      text += ", the shell's way of saying its command got " + SignalText(code - 128);
    }
    return text;
  }
  if (WIFSIGNALED(status)) return "killed by " + SignalText(WTERMSIG(status));
  return "ended with wait status " + std::to_string(status);
}

// Waits up to `ms` for `pid` to exit, without reaping it (WNOWAIT), so
// that KillAndReap still owns the pid.
void AwaitExit(pid_t pid, int ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
  while (Clock::now() < deadline) {
    siginfo_t info{};
    if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

AdapterProcess::AdapterProcess(std::string command, size_t max_line_bytes)
    : command_(std::move(command)), max_line_bytes_(max_line_bytes) {
  // Writing to an adapter that has died must give EPIPE, not kill mxstate.
  // The disposition is process-wide; the CLI checks its own write errors.
  signal(SIGPIPE, SIG_IGN);
}

AdapterProcess::~AdapterProcess() { Stop(); }

bool AdapterProcess::Start(std::string* problem) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    *problem = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    *problem = std::string("pipe: ") + std::strerror(errno);
    close(in[0]);
    close(in[1]);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group (so a kill reaches the shell's children), default
  // SIGPIPE (ignored here, and ignored dispositions survive exec), no
  // blocked signals.
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigemptyset(&empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  std::string sh = "sh", dash_c = "-c";
  char* argv[] = {sh.data(), dash_c.data(), command_.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    *problem = std::string("cannot start /bin/sh: ") + std::strerror(rc);
    return false;
  }
  pid_ = pid;
  to_child_ = in[1];
  from_child_ = out[0];
  fcntl(to_child_, F_SETFL, fcntl(to_child_, F_GETFL) | O_NONBLOCK);
  fcntl(from_child_, F_SETFL, fcntl(from_child_, F_GETFL) | O_NONBLOCK);
  pending_.clear();
  ++starts_;
  return true;
}

std::string AdapterProcess::KillAndReap() {
  CloseFd(&to_child_);
  CloseFd(&from_child_);
  pending_.clear();
  if (pid_ <= 0) return "";
  // The leader is not reaped yet (at worst a zombie), so the group id
  // cannot have been reused.
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return DescribeStatus(status);
}

void AdapterProcess::Stop() {
  if (pid_ <= 0) return;
  CloseFd(&to_child_);  // end of requests: a good adapter exits now
  AwaitExit(pid_, 1000);
  KillAndReap();
}

Exchange AdapterProcess::Ask(std::string_view request, int timeout_ms) {
  Exchange result;
  // A previous answer left the adapter unable to take requests.
  if (pid_ > 0 && to_child_ < 0) KillAndReap();
  if (pid_ <= 0 && !Start(&result.detail)) {
    result.kind = Exchange::Kind::kStartFailed;
    return result;
  }
  // Bytes left after the last answer stay: a second answer to the last
  // request must show up (as a wrong id), not vanish by timing.
  std::string out(request);
  out += '\n';
  size_t written = 0;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (const size_t end = pending_.find('\n'); end != std::string::npos) {
      if (end > max_line_bytes_) break;  // reported as too long below
      result.kind = Exchange::Kind::kLine;
      result.line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return result;
    }
    if (pending_.size() > max_line_bytes_) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - Clock::now()).count();
    if (left <= 0) {
      result.kind = Exchange::Kind::kTimeout;
      result.detail = "no answer within " + std::to_string(timeout_ms) +
                      " ms; " + KillAndReap() + " (killed by mxstate)";
      return result;
    }
    pollfd fds[2] = {{from_child_, POLLIN, 0}, {to_child_, POLLOUT, 0}};
    const bool writing = written < out.size() && to_child_ >= 0;
    const int ready = poll(fds, writing ? 2 : 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) {
      result.kind = Exchange::Kind::kExited;
      result.detail = std::string("poll: ") + std::strerror(errno) + "; " +
                      KillAndReap();
      return result;
    }
    if (ready <= 0) continue;
    if (writing && fds[1].revents != 0) {
      const ssize_t n = write(to_child_, out.data() + written, out.size() - written);
      if (n > 0) {
        written += static_cast<size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        // The adapter closed its stdin: it may still answer, so keep
        // reading; the next request restarts it.
        CloseFd(&to_child_);
      }
    }
    if (fds[0].revents != 0) {
      char buffer[65536];
      const ssize_t n = read(from_child_, buffer, sizeof buffer);
      if (n > 0) {
        pending_.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        // End of its output: give it a moment to exit by itself so that its
        // own status is reported, not our kill.
        CloseFd(&to_child_);
        AwaitExit(pid_, 500);
        result.kind = Exchange::Kind::kExited;
        result.detail = "closed its output; " + KillAndReap();
        return result;
      }
    }
  }
  result.kind = Exchange::Kind::kTooLong;
  result.detail = "answer longer than " + std::to_string(max_line_bytes_) +
                  " bytes; " + KillAndReap() + " (killed by mxstate)";
  return result;
}

}  // namespace mxstate::vectors
