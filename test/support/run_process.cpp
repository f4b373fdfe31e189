#include "run_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <utility>

extern char** environ;

namespace pgfns::test {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& o) noexcept {
    reset(std::exchange(o.fd_, -1));
    return *this;
  }
  ~unique_fd() { reset(); }
  int get() const noexcept { return fd_; }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct pipe_pair {
  unique_fd read;
  unique_fd write;
};

pipe_pair make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2");
  return {unique_fd(fds[0]), unique_fd(fds[1])};
}

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct spawn_setup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  spawn_setup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
};

// The current environment with `extra` entries added or replacing those of the same name; an
// entry without '=' removes the variable it names.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  const auto add = [&](const std::string& entry) {
    vars[entry.substr(0, entry.find('='))] = entry;
  };
  for (char** e = environ; *e != nullptr; ++e) add(*e);
  for (const std::string& entry : extra) {
    if (entry.find('=') == std::string::npos) {
      vars.erase(entry);
    } else {
      add(entry);
    }
  }
  std::vector<std::string> out;
  for (auto& [name, entry] : vars) out.push_back(std::move(entry));
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

process_result wait_for(pid_t pid, process_result result) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid");
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  return result;
}

}  // namespace

process_result run_process(const std::vector<std::string>& argv, const process_options& options) {
  if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
  // A child that stops reading its stdin must not kill this process with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);

  pipe_pair out = make_pipe();
  pipe_pair err = make_pipe();
  pipe_pair in = make_pipe();
  spawn_setup setup;
  if (options.input.empty()) {
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&setup.actions, in.read.get(), 0);
  }
  posix_spawn_file_actions_adddup2(&setup.actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err.write.get(), 2);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = argv;
  std::vector<std::string> env = merged_environment(options.env);
  std::vector<char*> arg_ptrs = pointers(args);
  std::vector<char*> env_ptrs = pointers(env);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, argv[0].c_str(), &setup.actions, &setup.attr, arg_ptrs.data(),
                                env_ptrs.data());
  if (rc != 0) {
    errno = rc;
    fail("cannot start " + argv[0]);
  }
  out.write.reset();
  err.write.reset();
  in.read.reset();
  if (options.input.empty()) in.write.reset();

  process_result result;
  std::size_t written = 0;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  char buffer[65536];
  while (out.read.get() >= 0 || err.read.get() >= 0) {
    pollfd fds[3] = {
        {out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}, {in.write.get(), POLLOUT, 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const int ready = left.count() <= 0 ? 0 : ::poll(fds, 3, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) fail("poll");
    if (ready == 0) {
      ::kill(pid, SIGKILL);
      wait_for(pid, {});
      throw std::runtime_error(argv[0] + " did not finish within " +
                               std::to_string(options.timeout.count()) + " ms");
    }
    if (fds[2].revents != 0) {
      const ssize_t n =
          ::write(in.write.get(), options.input.data() + written, options.input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == options.input.size()) in.write.reset();
    }
    for (auto [index, fd, text] :
         {std::tuple{0, &out.read, &result.out}, std::tuple{1, &err.read, &result.err}}) {
      if (fds[index].revents == 0) continue;
      const ssize_t n = ::read(fd->get(), buffer, sizeof buffer);
      if (n > 0) {
        text->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fd->reset();
      }
    }
  }
  return wait_for(pid, std::move(result));
}

}  // namespace pgfns::test
