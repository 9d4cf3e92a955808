#!/usr/bin/perl
# Sisimai (Debian libsisimai-perl), the anchor of bench/bounce.
#
#   sisimai_parse.pl --json FILE...      one JSON line per bounced recipient, as
#                                        `b2bmail bounce parse` prints them:
#                                        {"file","recipient","action","status","reason",
#                                         "softbounce"} or {"file","recipients":[]}
#   sisimai_parse.pl --bench ROUNDS FILE...
#                                        parses the files (read into memory first, not
#                                        timed) ROUNDS times; prints
#                                        RESULT msgs=<n> seconds=<s> rate=<msg/s>
# Both use Sisimai's own entry points for one message (Sisimai::Message->new, then
# Sisimai::Data->make), which is what Sisimai->make does for each message of a mailbox.
use strict;
use warnings;
use Sisimai;
use Sisimai::Message;
use Sisimai::Data;
use JSON::PP;
use Time::HiRes qw(time);

sub slurp {
  my ($path) = @_;
  open(my $fh, '<:raw', $path) or die "$path: $!";
  local $/;
  my $text = <$fh>;
  close $fh;
  return $text;
}

sub parse_one {
  my ($text) = @_;
  my $message = Sisimai::Message->new('data' => $text) or return [];
  return Sisimai::Data->make('data' => $message) || [];
}

my $mode = shift @ARGV // '';
if ($mode eq '--json') {
  my $json = JSON::PP->new->canonical;
  for my $file (@ARGV) {
    my $found = 0;
    my $data = eval { parse_one(slurp($file)) } || [];
    for my $e (@$data) {
      next if ($e->reason // '') eq 'delivered' || ($e->reason // '') eq 'vacation';
      $found++;
      print $json->encode({
        file => $file, recipient => $e->recipient->address, action => $e->action // '',
        status => $e->deliverystatus // '', reason => $e->reason // '',
        softbounce => ($e->softbounce // -1) + 0}), "\n";
    }
    print $json->encode({file => $file, recipients => []}), "\n" unless $found;
  }
} elsif ($mode eq '--bench') {
  my $rounds = shift @ARGV;
  my @texts = map { slurp($_) } @ARGV;
  my $start = time();
  for (1 .. $rounds) {
    for my $text (@texts) { eval { parse_one($text) }; }
  }
  my $seconds = time() - $start;
  my $total = scalar(@texts) * $rounds;
  printf "RESULT msgs=%d seconds=%.3f rate=%.0f\n", $total, $seconds, $total / $seconds;
} else {
  die "usage: sisimai_parse.pl --json FILE... | --bench ROUNDS FILE...\n";
}
