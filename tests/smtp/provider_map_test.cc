#include "b2bmail/smtp/provider_map.h"

#include <catch2/catch.hpp>

using b2bmail::smtp::ProviderMap;

TEST_CASE("ProviderMap knows the MX hosts of each built-in provider", "[smtp][provider]") {
  ProviderMap map;
  const std::pair<const char*, const char*> cases[] = {
      {"lumetra-com.mail.protection.outlook.com", "microsoft"},
      {"hotmail-com.olc.protection.outlook.com", "microsoft"},
      {"mx1.hotmail.com", "microsoft"},
      {"aspmx.l.google.com", "google"},
      {"alt1.aspmx.l.google.com", "google"},
      {"smtp.google.com", "google"},
      {"aspmx2.googlemail.com", "google"},
      {"eu-smtp-inbound-1.mimecast.com", "mimecast"},
      {"za-smtp-inbound-1.mimecast.co.za", "mimecast"},
      {"je-smtp-inbound-1.mimecast-offshore.com", "mimecast"},
      {"mx0a-00123456.pphosted.com", "proofpoint"},
      {"mx1-eu1.ppe-hosted.com", "proofpoint"},
      {"mx.eu1.proofpoint.com", "proofpoint"},
      {"d123456a.ess.barracudanetworks.com", "barracuda"},
      {"mx.barracudanetworks.com", "barracuda"},
      {"mx1.hc1234-56.iphmx.com", "cisco"},
      {"cluster8.eu.messagelabs.com", "broadcom"},
      {"acme.in.tmes.trendmicro.com", "trendmicro"},
      {"acme.in.tmes.trendmicro.eu", "trendmicro"},
      {"mx-01-eu-central-1.prod.hydra.sophos.com", "sophos"},
      {"cluster1.eu.mailcontrol.com", "forcepoint"},
      {"mta5.am0.yahoodns.net", "yahoo"},
      {"mx.zoho.com", "zoho"},
      {"mx2.zoho.eu", "zoho"},
      {"mx1.mail.ovh.net", "ovh"},
      {"mx00.ionos.de", "ionos"},
      {"mx01.ionos.com", "ionos"},
      {"mx01.kundenserver.de", "ionos"},
      {"mx00.emig.gmx.net", "gmx"},
      {"mx-ha03.web.de", "gmx"},
      {"mx01.mail.icloud.com", "icloud"},
      {"mailsec.protonmail.ch", "proton"},
      {"mx1.secureserver.net", "godaddy"},
  };
  for (const auto& [host, provider] : cases) {
    INFO(host);
    CHECK(map.ProviderOf(host) == provider);
  }
}

TEST_CASE("ProviderMap matches whole labels only", "[smtp][provider]") {
  ProviderMap map;
  CHECK(map.ProviderOf("outlook.com") == "microsoft");  // the suffix itself is a host
  CHECK(map.ProviderOf("mx.evil-outlook.com") == "evil-outlook.com");
  CHECK(map.ProviderOf("evil-outlook.com") == "evil-outlook.com");
  CHECK(map.ProviderOf("mx.notgoogle.com") == "notgoogle.com");
  CHECK(map.ProviderOf("google.com.attacker.example") == "attacker.example");
}

TEST_CASE("ProviderMap prefers the longest matching suffix", "[smtp][provider]") {
  ProviderMap map;
  map.Add("google-workspace", "aspmx.l.google.com");
  CHECK(map.ProviderOf("alt2.aspmx.l.google.com") == "google-workspace");
  CHECK(map.ProviderOf("aspmx.l.google.com") == "google-workspace");
  CHECK(map.ProviderOf("gmail-smtp-in.l.google.com") == "google");
  // Order of Add does not matter, only length.
  map.Add("google-all", "l.google.com");
  CHECK(map.ProviderOf("alt2.aspmx.l.google.com") == "google-workspace");
  CHECK(map.ProviderOf("gmail-smtp-in.l.google.com") == "google-all");
}

TEST_CASE("ProviderMap ignores case and trailing dots of hosts and suffixes", "[smtp][provider]") {
  ProviderMap map;
  CHECK(map.ProviderOf("ASPMX.L.Google.COM.") == "google");
  CHECK(map.ProviderOf("Lumetra-Com.Mail.Protection.Outlook.Com") == "microsoft");
  CHECK(map.ProviderOf("MX1.Example.CO.UK.") == "example.co.uk");
  map.Add("acme-gateway", ".MX.Acme.Example.");
  CHECK(map.ProviderOf("in1.mx.acme.example") == "acme-gateway");
  CHECK(map.ProviderOf("mx.acme.example.") == "acme-gateway");
}

TEST_CASE("ProviderMap::Add replaces a built-in provider", "[smtp][provider]") {
  ProviderMap map;
  map.Add("m365", "mail.protection.outlook.com");
  CHECK(map.ProviderOf("lumetra-com.mail.protection.outlook.com") == "m365");
  CHECK(map.ProviderOf("mx1.hotmail.com") == "microsoft");
  map.Add("self-hosted", "lumetra.example");
  CHECK(map.ProviderOf("mx2.lumetra.example") == "self-hosted");
}

TEST_CASE("ProviderMap falls back to the registered domain of unknown hosts", "[smtp][provider]") {
  ProviderMap map;
  CHECK(map.ProviderOf("mx1.lumetra.example") == "lumetra.example");
  CHECK(map.ProviderOf("a.b.c.mail.lumetra.de") == "lumetra.de");
  CHECK(map.ProviderOf("lumetra.de") == "lumetra.de");
  CHECK(map.ProviderOf("localhost") == "localhost");
  CHECK(map.ProviderOf("mx1.example.co.uk") == "example.co.uk");
  CHECK(map.ProviderOf("mail.example.com.au") == "example.com.au");
  CHECK(map.ProviderOf("mx.example.ne.jp") == "example.ne.jp");
  CHECK(map.ProviderOf("mx.example.or.jp") == "example.or.jp");
  CHECK(map.ProviderOf("mx.uni.ac.uk") == "uni.ac.uk");
  CHECK(map.ProviderOf("co.uk") == "co.uk");
  // The three-label rule needs a two-letter top-level domain.
  CHECK(map.ProviderOf("mx.example.co.com") == "co.com");
  CHECK(map.ProviderOf("mx.example.org.example") == "org.example");
}

TEST_CASE("ProviderMap keeps IP addresses and empty hosts as they are", "[smtp][provider]") {
  ProviderMap map;
  CHECK(map.ProviderOf("192.0.2.25") == "192.0.2.25");
  CHECK(map.ProviderOf("2001:db8::25") == "2001:db8::25");
  CHECK(map.ProviderOf("") == "");
  CHECK(map.ProviderOf(".") == "");
}
