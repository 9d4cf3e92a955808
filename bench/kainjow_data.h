#pragma once
// The anchor's data for bench/render and bench/pipeline: the values a template sees, as
// a kainjow data object built per render, as a plain kainjow user would build them.

#include <kainjow/mustache.hpp>

#include "b2bmail/model/account.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/model/contact.h"
#include "b2bmail/render/message_template.h"

namespace b2bmail::bench {

inline kainjow::mustache::data KainjowData(const model::Contact& contact_in,
                                           const model::Account* account_in,
                                           const model::Campaign& campaign,
                                           const render::Sender& sender) {
  namespace mustache = kainjow::mustache;
  mustache::data contact{mustache::data::type::object};
  contact.set("first_name", contact_in.first_name);
  contact.set("last_name", contact_in.last_name);
  contact.set("email", contact_in.email);
  contact.set("title", contact_in.title);
  contact.set("language", contact_in.language);
  mustache::data account{mustache::data::type::object};
  if (account_in) {
    account.set("name", account_in->name);
    account.set("id", account_in->id);
    account.set("industry", account_in->industry);
  }
  mustache::data root{mustache::data::type::object};
  root.set("contact", contact);
  root.set("account", account);
  mustache::data c{mustache::data::type::object};
  c.set("id", campaign.id);
  c.set("name", campaign.name);
  root.set("campaign", c);
  mustache::data s{mustache::data::type::object};
  s.set("company", sender.company);
  s.set("address", sender.address);
  root.set("sender", s);
  root.set("unsubscribe_url", "https://t.lumetra.example/u/abcdefghijklmnopqrstuvwxyz");
  root.set("preferences_url", "https://t.lumetra.example/p/abcdefghijklmnopqrstuvwxyz");
  root.set("view_online_url", "https://t.lumetra.example/v/abcdefghijklmnopqrstuvwxyz");
  return root;
}

}  // namespace b2bmail::bench
