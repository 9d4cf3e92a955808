#pragma once
// One recipient's complete message: rendered, with the bulk-sender headers
// (deliverability.md §1: one-click unsubscribe, Feedback-ID, List-Id), its own signed
// tokens and VERP envelope sender. `campaign launch` and `template render` both build
// through it, so a preview is exactly what would be sent.

#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"
#include "b2bmail/mime/message_builder.h"
#include "b2bmail/model/account.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/model/contact.h"
#include "b2bmail/render/message_template.h"
#include "b2bmail/track/token_signer.h"

namespace b2bmail::campaign {

struct ComposeOptions {
  // Base of the unsubscribe link: `<base>/u/<signed token>`. RFC 8058 and the mailbox
  // providers want https; the tracking server that answers arrives with issue 9.
  std::string tracking_base_url = "http://127.0.0.1:8080";
  // Signs the tokens of unsubscribe links and bounce addresses. REQUIRED (non-null).
  const track::TokenSigner* tokens = nullptr;
  // An address for mailto: unsubscribes, e.g. "unsubscribe@lumetra.example"; each
  // message gets `unsubscribe+<token>@...`. Empty: https only.
  std::string unsubscribe_mailto;
  // Envelope sender `<bounce_prefix>+<token>@<bounce_domain>`; an empty domain means
  // the From address's domain.
  std::string bounce_prefix = "bounces";
  std::string bounce_domain;
  // Feedback-ID's sender id (Gmail: 5-15 characters, stable); empty: the first label of
  // the From domain.
  std::string feedback_sender;
  // List-Id is `<campaign id>.<list_id_domain>`; empty: the From domain.
  std::string list_id_domain;
  // sender.* in templates (company, postal address, website).
  render::Sender sender;
  // Images a template may show with <img src="cid:CONTENT_ID"> (content_id: the file
  // name); each message carries those its HTML names, in a multipart/related, with the
  // Content-ID and the reference made `<name>@<From domain>`.
  std::vector<mime::InlineImage> images;
  // The relay offers 8BITMIME (MessageSpec::allow_8bit).
  bool allow_8bit = false;
};

struct ComposedSend {
  std::string send_key;       // random, stored with the outbox row; tokens sign it
  std::string envelope_from;  // MAIL FROM: the VERP bounce address
  std::string recipient;      // RCPT TO: the contact's address, domain in A-labels
  std::string unsubscribe_url;
  render::RenderedMessage rendered;  // as sent (cid: references carry the From domain)
  mime::BuiltMessage message;        // not yet DKIM-signed
};

// Thread safety: one composer per thread (it uses the template, builder and Random).
class SendComposer {
 public:
  // Borrows everything; all must outlive the composer. Throws Error{kUsage} when
  // options.tokens is null or the bounce prefix cannot make a valid address.
  SendComposer(const model::Campaign& campaign, render::MessageTemplate& tmpl,
               const ComposeOptions& options, const base::Clock& clock, base::Random& random);

  ComposedSend Compose(const model::Contact& contact, const model::Account* account);

 private:
  const model::Campaign& campaign_;
  render::MessageTemplate& tmpl_;
  const ComposeOptions& options_;
  base::Random& random_;
  mime::MessageBuilder builder_;
  std::string from_domain_, bounce_domain_, list_domain_, feedback_sender_;
  // An embedded image with its Content-ID on the wire, and how the HTML refers to it
  // (in double and single quotes) before and after the From domain is added.
  struct ImageReference {
    mime::InlineImage image;
    std::string references[2], wire_references[2];
  };
  std::vector<ImageReference> images_;
};

}  // namespace b2bmail::campaign
