import { createHmac } from 'node:crypto';
import type { AlertChannelKind, AlertEvent } from '@meetnet/contracts';
import { createTransport, type Transporter } from 'nodemailer';
import type { EmailChannelConfig, WebhookChannelConfig } from './alert-channels-file';
import { messageSubject, messageText } from './alert-message';

/** One way out: a delivery is one call of `send`, which throws when it did not arrive. */
export interface AlertChannel {
  readonly id: string;
  readonly kind: AlertChannelKind;
  send(deliveryId: string, events: readonly AlertEvent[]): Promise<void>;
}

export const SIGNATURE_HEADER = 'x-meetnet-signature';
export const TIMESTAMP_HEADER = 'x-meetnet-timestamp';
export const DELIVERY_HEADER = 'x-meetnet-delivery';

/**
 * The signature of a webhook body: HMAC-SHA256 over `{timestamp}.{body}` with the channel's
 * secret, as `sha256=<hex>`. The timestamp is inside it, so a captured delivery cannot be
 * replayed later as new; receivers compare in constant time.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookChannel implements AlertChannel {
  readonly kind = 'webhook';
  readonly id: string;

  constructor(
    private readonly config: WebhookChannelConfig,
    private readonly dashboardUrl?: string,
  ) {
    this.id = config.id;
  }

  async send(deliveryId: string, events: readonly AlertEvent[]): Promise<void> {
    const body = JSON.stringify({
      delivery: deliveryId,
      sentAt: new Date().toISOString(),
      // Chat tools (Teams, Slack, Mattermost) show `text` as it is.
      text: messageText(events, this.dashboardUrl),
      events,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(this.config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: webhookSignature(this.config.secret, timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    // The receiver's answer is not ours to keep; draining it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(this.config.url).host}`);
  }
}

export class EmailChannel implements AlertChannel {
  readonly kind = 'email';
  readonly id: string;

  constructor(
    private readonly config: EmailChannelConfig,
    private readonly transport: Transporter,
    private readonly from: string,
    private readonly dashboardUrl?: string,
  ) {
    this.id = config.id;
  }

  async send(deliveryId: string, events: readonly AlertEvent[]): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: this.config.to,
      subject: messageSubject(events),
      text: messageText(events, this.dashboardUrl),
      headers: { 'X-Meetnet-Delivery': deliveryId, 'Content-Language': 'nl-BE' },
    });
  }
}

export function smtpTransport(url: string): Transporter {
  return createTransport(url);
}
