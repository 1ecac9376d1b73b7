package org.referralhub.email;

/** Sends the hub's e-mail: SMTP locally, the SES SMTP interface in AWS. */
public interface MailSender {

    void send(OutboundEmail email);
}
