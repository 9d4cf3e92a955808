#include "event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "b2bmail/base/error.h"

namespace b2bmail::smtp {
namespace {

[[noreturn]] void Fail(const char* what) {
  throw Error(ErrorKind::kInternal, std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

EventLoop::EventLoop() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) Fail("epoll_create1");
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    close(epoll_fd_);
    Fail("eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake-up fd
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

EventLoop::~EventLoop() {
  close(wake_fd_);
  close(epoll_fd_);
}

void EventLoop::Watch(int fd, std::uint32_t events, EventHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) Fail("epoll_ctl(ADD)");
}

void EventLoop::Change(int fd, std::uint32_t events, EventHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) != 0) Fail("epoll_ctl(MOD)");
}

void EventLoop::Forget(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::SetDeadline(EventHandler* handler, std::optional<SteadyTime> deadline) {
  auto it = deadline_of_.find(handler);
  if (it != deadline_of_.end()) {
    if (deadline && it->second == *deadline) return;
    deadlines_.erase({it->second, handler});
    if (!deadline) {
      deadline_of_.erase(it);
      return;
    }
    it->second = *deadline;
  } else {
    if (!deadline) return;
    deadline_of_.emplace(handler, *deadline);
  }
  deadlines_.insert({*deadline, handler});
}

int EventLoop::RunOnce(std::chrono::milliseconds max_wait) {
  auto now = std::chrono::steady_clock::now();
  auto wait = max_wait;
  if (!deadlines_.empty()) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(deadlines_.begin()->first - now);
    wait = std::max(std::chrono::milliseconds(0), std::min(wait, until));
  }
  epoll_event events[256];
  int n = epoll_wait(epoll_fd_, events, 256, static_cast<int>(wait.count()));
  if (n < 0 && errno != EINTR) Fail("epoll_wait");
  now = std::chrono::steady_clock::now();
  int calls = 0;
  for (int i = 0; i < n; ++i) {
    auto* handler = static_cast<EventHandler*>(events[i].data.ptr);
    if (!handler) {
      std::uint64_t count;
      while (read(wake_fd_, &count, sizeof count) > 0) {
      }
      continue;
    }
    handler->OnEvents(events[i].events, now);
    ++calls;
  }
  // Deadlines due now; a handler may move or clear its own as it runs.
  std::vector<EventHandler*> due;
  for (auto it = deadlines_.begin(); it != deadlines_.end() && it->first <= now; ++it)
    due.push_back(it->second);
  for (EventHandler* handler : due) {
    auto it = deadline_of_.find(handler);
    if (it == deadline_of_.end() || it->second > now) continue;
    deadlines_.erase({it->second, handler});
    deadline_of_.erase(it);
    handler->OnDeadline(now);
    ++calls;
  }
  return calls;
}

void EventLoop::Wake() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = write(wake_fd_, &one, sizeof one);
}

}  // namespace b2bmail::smtp
