#pragma once
// One thread's epoll(7) loop with deadlines: it lets one delivery thread hold
// thousands of SMTP sessions (issue 7: no thread per connection). Linux only, as is
// the project.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace b2bmail::smtp {

using SteadyTime = std::chrono::steady_clock::time_point;

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void OnEvents(std::uint32_t events, SteadyTime now) = 0;  // EPOLLIN, EPOLLOUT, ...
  virtual void OnDeadline(SteadyTime now) = 0;
};

// Not thread-safe, except Wake(). A handler must be forgotten (Forget and
// SetDeadline(nullopt)) before it is destroyed, and not be destroyed inside RunOnce.
class EventLoop {
 public:
  EventLoop();  // throws Error{kInternal} when epoll or eventfd cannot be created
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void Watch(int fd, std::uint32_t events, EventHandler* handler);
  void Change(int fd, std::uint32_t events, EventHandler* handler);
  void Forget(int fd);
  void SetDeadline(EventHandler* handler, std::optional<SteadyTime> deadline);

  // Waits up to `max_wait` for events or the earliest deadline, then calls the
  // handlers that are due. Returns the number of calls made.
  int RunOnce(std::chrono::milliseconds max_wait);
  // Ends a RunOnce wait early; callable from any thread.
  void Wake();

 private:
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::set<std::pair<SteadyTime, EventHandler*>> deadlines_;
  std::unordered_map<EventHandler*, SteadyTime> deadline_of_;
};

}  // namespace b2bmail::smtp
