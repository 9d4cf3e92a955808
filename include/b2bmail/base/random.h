#pragma once
// The randomness seam (ARCHITECTURE.md): MIME boundaries, Message-IDs, tokens and
// jitter draw from a Random, so tests can fix the sequence.

#include <cstdint>
#include <random>
#include <string>

namespace b2bmail::base {

// A source of 64-bit random values. Implementations are not thread-safe; give
// each thread its own.
class Random {
 public:
  virtual ~Random() = default;
  virtual std::uint64_t Next() = 0;
};

// Unpredictable values from the operating system's CSPRNG (getrandom(2)); suitable for
// tokens that must not be guessed. Draws 256 bytes at a time: libstdc++'s
// std::random_device uses RDSEED, which took 23-46 us per call back to back on our
// machines (bench/pipeline), more than signing a message with Ed25519. Not to be
// carried across fork(): a child would repeat the parent's buffered values.
class SystemRandom final : public Random {
 public:
  std::uint64_t Next() override;

 private:
  std::uint64_t buffer_[32] = {};
  std::size_t next_ = 32;  // index of the next unused value; 32: buffer empty
};

// A reproducible sequence (mt19937_64) for tests and deterministic runs.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t Next() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// splitmix64 (Steele, Lea and Flood, 2014): a tiny generator whose sequence is fixed by
// its definition, so generated test and benchmark data is the same everywhere.
class SplitMix64 final : public Random {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() override {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// `length` characters from [a-z0-9], drawn from `random`; URL- and header-safe.
std::string RandomToken(Random& random, std::size_t length);

}  // namespace b2bmail::base
