import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { PersonRef } from '../canonical/common.js';
import { DependencyError } from '../errors.js';
import type { CartActivitySignal } from './cart-signal.js';
import {
  type CartKey,
  type CartRecord,
  type CartStore,
  type MarkEmittedResult,
  type PendingCheck,
  type PersonRecoveryState,
  personKeys,
} from './cart-store.js';
import {
  assignments,
  BOOL,
  CART_SK,
  cartPk,
  checkoutIndexKey,
  contentsOf,
  type Item,
  N,
  personPk,
  S,
  str,
  toRecord,
} from './dynamo-cart-items.js';

/** Settings of the DynamoDB cart store. */
export interface DynamoCartStoreOptions {
  readonly tableName: string;
  /** How long cart and last-order records live after their last write (TTL on expiresAt). */
  readonly retentionDays: number;
}

/**
 * CartStore on the connector's single table. Cart item: pk `cart#<shop>#<cart token>`, sk `cart`, indexed on gsi1
 * by `cart-checkout#<shop>#<checkout token>` once a checkout is known. Person items: pk
 * `cart-person#<shop>#customer:<id>|email:<email>`, sk `last-order` (with TTL) and `consent` (kept).
 */
export class DynamoCartStore implements CartStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: DynamoCartStoreOptions,
  ) {}

  async recordActivity(
    activity: CartActivitySignal,
    firstCheck: { step: number; due_at: string },
  ): Promise<CartRecord> {
    const key = { shop: activity.shop, cart_token: activity.cart_token };
    // A storefront pixel is untrusted and sees one line at a time: it only says "the cart is still in use".
    const pixel = activity.origin === 'pixel';
    const identity: Record<string, AttributeValue> = pixel
      ? {}
      : {
          ...(activity.checkout_token
            ? {
                checkoutToken: S(activity.checkout_token),
                gsi1pk: S(checkoutIndexKey(activity.shop, activity.checkout_token)),
                gsi1sk: S(cartPk(key)),
              }
            : {}),
          ...(activity.recovery_url ? { recoveryUrl: S(activity.recovery_url) } : {}),
          ...(activity.person.customer_id ? { customerId: S(activity.person.customer_id) } : {}),
          ...(activity.person.email ? { email: S(activity.person.email) } : {}),
          ...(activity.person.phone ? { phone: S(activity.person.phone) } : {}),
        };
    const cartContents = contentsOf(activity);
    const contents = assignments(
      {
        shop: S(activity.shop),
        cartToken: S(activity.cart_token),
        lastActivityAt: S(activity.occurred_at),
        expiresAt: N(this.expiresAt(activity.occurred_at)),
        ...(pixel ? {} : cartContents.set),
        ...identity,
      },
      {
        ...(pixel ? cartContents.set : {}),
        firstActivityAt: S(activity.occurred_at),
        pendingStep: N(firstCheck.step),
        pendingDueAt: S(firstCheck.due_at),
        pendingCreated: BOOL(false),
      },
      cartContents.remove,
    );
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          ...this.cartKey(key),
          UpdateExpression: contents.expression,
          ConditionExpression: 'attribute_not_exists(#lastActivityAt) OR #lastActivityAt <= :lastActivityAt',
          ExpressionAttributeNames: contents.names,
          ExpressionAttributeValues: contents.values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(out.Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw this.failed('record activity', error);
    }
    // Older than what the cart already shows: keep the newer contents, still learn who the cart belongs to.
    if (Object.keys(identity).length === 0) return this.mustGet(key);
    const late = assignments(identity);
    const out = await this.update(
      {
        ...this.cartKey(key),
        UpdateExpression: late.expression,
        ExpressionAttributeNames: late.names,
        ExpressionAttributeValues: late.values,
        ReturnValues: 'ALL_NEW',
      },
      'record late activity',
    );
    return toRecord(out ?? {});
  }

  async getCart(key: CartKey): Promise<CartRecord | undefined> {
    try {
      const out = await this.client.send(new GetItemCommand({ ...this.cartKey(key), ConsistentRead: true }));
      return out.Item ? toRecord(out.Item) : undefined;
    } catch (error) {
      throw this.failed('read cart', error);
    }
  }

  async findByCheckout(shop: string, checkoutToken: string): Promise<string[]> {
    try {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': S(checkoutIndexKey(shop, checkoutToken)) },
        }),
      );
      return (out.Items ?? [])
        .map((item) => str(item, 'cartToken'))
        .filter((t): t is string => t !== undefined);
    } catch (error) {
      throw this.failed('query carts by checkout', error);
    }
  }

  async markConverted(
    key: CartKey,
    orderId: string,
    at: string,
  ): Promise<{ readonly record: CartRecord; readonly changed: boolean; readonly cancel?: PendingCheck }> {
    const always = {
      convertedAt: S(at),
      convertedOrderId: S(orderId),
      shop: S(key.shop),
      cartToken: S(key.cart_token),
      pendingStep: N(0),
      pendingCreated: BOOL(false),
    };
    const ifAbsent = { pendingDueAt: S(at), expiresAt: N(this.expiresAt(at)) };
    const set = assignments(always, ifAbsent);
    try {
      // One write: converted, and no check pending any more. The old item says which check to cancel.
      const out = await this.client.send(
        new UpdateItemCommand({
          ...this.cartKey(key),
          UpdateExpression: set.expression,
          ConditionExpression: 'attribute_not_exists(#convertedAt)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ExpressionAttributeNames: set.names,
          ExpressionAttributeValues: set.values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = out.Attributes ?? {};
      const before = old.pendingStep === undefined ? undefined : toRecord(old).pending;
      return {
        record: toRecord({ ...ifAbsent, ...old, ...always }),
        changed: true,
        ...(before && before.step !== 0 ? { cancel: before } : {}),
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw this.failed('mark converted', error);
      // Converted already (a retry, or another order of the cart): its check was cleared then.
      return { record: error.Item ? toRecord(error.Item) : await this.mustGet(key), changed: false };
    }
  }

  async setPending(key: CartKey, expected: PendingCheck, next: PendingCheck): Promise<boolean> {
    return this.conditional(
      {
        ...this.cartKey(key),
        UpdateExpression: 'SET pendingStep = :step, pendingDueAt = :due, pendingCreated = :created',
        ConditionExpression: 'pendingStep = :expectedStep AND pendingDueAt = :expectedDue',
        ExpressionAttributeValues: {
          ':step': N(next.step),
          ':due': S(next.due_at),
          ':created': BOOL(next.created),
          ':expectedStep': N(expected.step),
          ':expectedDue': S(expected.due_at),
        },
      },
      'set pending check',
    );
  }

  async finish(key: CartKey, reason: string): Promise<void> {
    await this.conditional(
      {
        ...this.cartKey(key),
        UpdateExpression: 'SET exitReason = :reason, pendingStep = :none, exitActivityAt = lastActivityAt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':reason': S(reason), ':none': N(0) },
      },
      'finish cart',
    );
  }

  async rearm(
    key: CartKey,
    firstCheck: { step: number; due_at: string },
    activityAt: string,
    options: { readonly identifies?: boolean } = {},
  ): Promise<CartRecord | undefined> {
    // Newer activity undoes any of the three exits; activity naming the person undoes `unreachable` at any age.
    const undone = options.identifies
      ? '(attribute_not_exists(exitActivityAt) OR exitActivityAt < :at OR exitReason = :unreachable)'
      : '(attribute_not_exists(exitActivityAt) OR exitActivityAt < :at)';
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          ...this.cartKey(key),
          UpdateExpression:
            'SET pendingStep = :step, pendingDueAt = :due, pendingCreated = :false REMOVE exitReason, exitActivityAt, emittedSteps',
          ConditionExpression: `attribute_not_exists(convertedAt) AND exitReason IN (:unreachable, :empty, :elsewhere) AND ${undone}`,
          ExpressionAttributeValues: {
            ':step': N(firstCheck.step),
            ':due': S(firstCheck.due_at),
            ':false': BOOL(false),
            ':unreachable': S('unreachable'),
            ':empty': S('empty'),
            ':elsewhere': S('ordered_elsewhere'),
            ':at': S(activityAt),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(out.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw this.failed('re-arm cart', error);
    }
  }

  async markEmitted(key: CartKey, step: number, at: string): Promise<MarkEmittedResult> {
    const marked = await this.conditional(
      {
        ...this.cartKey(key),
        UpdateExpression: 'ADD emittedSteps :steps SET lastEmittedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(convertedAt)',
        ExpressionAttributeValues: { ':steps': { NS: [String(step)] }, ':at': S(at) },
      },
      'mark step emitted',
    );
    return marked ? 'marked' : 'converted';
  }

  async markCheckoutDeleted(key: CartKey, at: string): Promise<void> {
    await this.conditional(
      {
        ...this.cartKey(key),
        UpdateExpression: 'SET checkoutDeletedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': S(at) },
      },
      'mark checkout deleted',
    );
  }

  async forgetContact(key: CartKey): Promise<boolean> {
    // The recovery URL opens the shopper's checkout (address, email): it goes with the rest of the contact data.
    return this.conditional(
      {
        ...this.cartKey(key),
        UpdateExpression:
          'REMOVE customerId, email, phone, recoveryUrl SET exitReason = :reason, pendingStep = :none',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':reason': S('redacted'), ':none': N(0) },
      },
      'forget cart contact',
    );
  }

  async recordOrder(shop: string, person: PersonRef, at: string): Promise<void> {
    // One item per identifier, written at once.
    await Promise.all(
      personKeys(person).map((personKey) =>
        this.conditional(
          {
            TableName: this.options.tableName,
            Key: { pk: S(personPk(shop, personKey)), sk: S('last-order') },
            UpdateExpression: 'SET lastOrderAt = :at, expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(lastOrderAt) OR lastOrderAt < :at',
            ExpressionAttributeValues: { ':at': S(at), ':exp': N(this.expiresAt(at)) },
          },
          'record last order',
        ),
      ),
    );
  }

  async recordConsent(shop: string, person: PersonRef, unsubscribed: boolean, at: string): Promise<void> {
    await Promise.all(
      personKeys(person).map((personKey) =>
        this.conditional(
          {
            TableName: this.options.tableName,
            Key: { pk: S(personPk(shop, personKey)), sk: S('consent') },
            UpdateExpression: 'SET unsubscribed = :u, consentAt = :at',
            ConditionExpression: 'attribute_not_exists(consentAt) OR consentAt <= :at',
            ExpressionAttributeValues: { ':u': BOOL(unsubscribed), ':at': S(at) },
          },
          'record consent',
        ),
      ),
    );
  }

  async readPerson(shop: string, person: PersonRef): Promise<PersonRecoveryState> {
    const keys = personKeys(person).flatMap((personKey) =>
      ['last-order', 'consent'].map((sk) => ({ pk: S(personPk(shop, personKey)), sk: S(sk) })),
    );
    if (keys.length === 0) return { unsubscribed: false };
    // A partial answer must not read as "subscribed, never ordered" (that would message someone who bought or
    // opted out): unprocessed keys are asked again, and the check fails for a retry if they never come back.
    const items: Item[] = [];
    let pending: typeof keys = keys;
    for (let attempt = 0; attempt < 4 && pending.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      try {
        const out = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.options.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        items.push(...(out.Responses?.[this.options.tableName] ?? []));
        pending = (out.UnprocessedKeys?.[this.options.tableName]?.Keys ?? []) as typeof keys;
      } catch (error) {
        throw this.failed('read person', error);
      }
    }
    if (pending.length > 0) {
      throw this.failed('read person', new Error(`${pending.length} keys left unprocessed after retries`));
    }
    const orders = items.map((i) => str(i, 'lastOrderAt')).filter((t): t is string => t !== undefined);
    return {
      ...(orders.length > 0 ? { last_order_at: orders.sort().at(-1) } : {}),
      unsubscribed: items.some((i) => i.unsubscribed?.BOOL === true),
    };
  }

  private cartKey(key: CartKey) {
    return { TableName: this.options.tableName, Key: { pk: S(cartPk(key)), sk: S(CART_SK) } };
  }

  private expiresAt(iso: string): number {
    return Math.floor(Date.parse(iso) / 1000) + this.options.retentionDays * 86_400;
  }

  private async mustGet(key: CartKey): Promise<CartRecord> {
    const record = await this.getCart(key);
    if (!record) throw new DependencyError(`cart ${key.cart_token} vanished between writes`, 'dynamodb');
    return record;
  }

  private async update(input: UpdateItemCommandInput, what: string): Promise<Item | undefined> {
    try {
      return (await this.client.send(new UpdateItemCommand(input))).Attributes;
    } catch (error) {
      throw this.failed(what, error);
    }
  }

  /** A conditional update: true when applied, false when its condition did not hold. */
  private async conditional(input: UpdateItemCommandInput, what: string): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw this.failed(what, error);
    }
  }

  private failed(what: string, error: unknown): DependencyError {
    return new DependencyError(`DynamoDB ${what} failed`, 'dynamodb', { cause: error });
  }
}
