#include "b2bmail/campaign/send_composer.h"

#include "b2bmail/base/error.h"
#include "b2bmail/mime/address.h"
#include "b2bmail/mime/bulk_headers.h"

namespace b2bmail::campaign {

SendComposer::SendComposer(const model::Campaign& campaign, render::MessageTemplate& tmpl,
                           const ComposeOptions& options, const base::Clock& clock,
                           base::Random& random)
    : campaign_(campaign),
      tmpl_(tmpl),
      options_(options),
      random_(random),
      builder_(clock, random) {
  if (!options.tokens) throw Error(ErrorKind::kUsage, "composing a send needs a token signer");
  if (!options.unsubscribe_mailto.empty() &&
      options.unsubscribe_mailto.find('@') == std::string::npos)
    throw Error(ErrorKind::kUsage,
                "unsubscribe_mailto '" + options.unsubscribe_mailto + "' is not an address");
  from_domain_ = mime::ToAsciiDomain(mime::DomainOf(campaign.from_address));
  const std::string& from_domain = from_domain_;
  bounce_domain_ =
      options.bounce_domain.empty() ? from_domain : mime::ToAsciiDomain(options.bounce_domain);
  list_domain_ =
      options.list_id_domain.empty() ? from_domain : mime::ToAsciiDomain(options.list_id_domain);
  feedback_sender_ = options.feedback_sender;
  if (feedback_sender_.empty()) feedback_sender_ = from_domain.substr(0, from_domain.find('.'));
  // Templates name images by file (cid:logo.png); on the wire a Content-ID is a msg-id
  // with an '@' (RFC 2045 §7, RFC 2392), so the reference gains the From domain. Worked
  // out once here, not per message.
  for (const auto& image : options.images) {
    ImageReference ref;
    ref.image = image;
    ref.image.content_id += "@" + from_domain;
    for (std::size_t k = 0; k < 2; ++k) {
      char quote = k == 0 ? '"' : '\'';
      ref.references[k] = "cid:" + image.content_id + quote;
      ref.wire_references[k] = "cid:" + ref.image.content_id + quote;
    }
    images_.push_back(std::move(ref));
  }
}

ComposedSend SendComposer::Compose(const model::Contact& contact, const model::Account* account) {
  ComposedSend out;
  // Opaque and unguessable: links and bounce addresses must not reveal or enumerate
  // addresses; the signature lets the server refuse forgeries before any lookup.
  out.send_key = base::RandomToken(random_, 26);
  std::string unsubscribe_token =
      options_.tokens->Sign(track::TokenPurpose::kUnsubscribe, out.send_key);
  out.unsubscribe_url = options_.tracking_base_url + "/u/" + unsubscribe_token;
  out.envelope_from = mime::VerpAddress(
      options_.bounce_prefix, options_.tokens->Sign(track::TokenPurpose::kBounce, out.send_key),
      bounce_domain_);
  out.recipient = mime::ToWireAddress(contact.email);

  out.rendered = tmpl_.Render({contact, account, campaign_, out.unsubscribe_url, &options_.sender});
  mime::MessageSpec spec;
  spec.from = {campaign_.from_address, campaign_.from_name};
  spec.to = {contact.email,
             contact.first_name +
                 (contact.first_name.empty() || contact.last_name.empty() ? "" : " ") +
                 contact.last_name};
  if (!campaign_.reply_to.empty()) spec.reply_to = {campaign_.reply_to, ""};
  spec.subject = out.rendered.subject;
  // Moved in and back out after Build: a message's text and HTML are copied only into
  // the message itself.
  spec.text = std::move(out.rendered.text);
  spec.html = std::move(out.rendered.html);
  spec.allow_8bit = options_.allow_8bit;
  for (const auto& image : images_) {
    bool used = false;
    for (std::size_t k = 0; k < 2; ++k) {
      for (auto at = spec.html.find(image.references[k]); at != std::string::npos;
           at = spec.html.find(image.references[k], at + image.wire_references[k].size())) {
        spec.html.replace(at, image.references[k].size(), image.wire_references[k]);
        used = true;
      }
    }
    if (used) spec.inline_images.push_back(image.image);
  }

  mime::BulkHeaders bulk;
  bulk.unsubscribe_url = out.unsubscribe_url;
  std::string mailto;  // viewed by `bulk`
  if (!options_.unsubscribe_mailto.empty()) {
    std::string_view configured = options_.unsubscribe_mailto;
    auto at = configured.rfind('@');
    mailto.reserve(configured.size() + unsubscribe_token.size() + 1);
    mailto += configured.substr(0, at);
    mailto += '+';
    mailto += unsubscribe_token;
    mailto += configured.substr(at);
    bulk.unsubscribe_mailto = mailto;
  }
  bulk.feedback_id = {campaign_.id, campaign_.segment, campaign_.mail_type, feedback_sender_};
  bulk.list_name = campaign_.name;
  bulk.list_id = campaign_.id;
  bulk.list_domain = list_domain_;
  spec.extra_headers = mime::BulkHeaderFields(bulk);
  spec.extra_headers.emplace_back("X-B2bmail-Campaign", campaign_.id);
  out.message = builder_.Build(spec);
  out.rendered.text = std::move(spec.text);
  out.rendered.html = std::move(spec.html);
  return out;
}

}  // namespace b2bmail::campaign
