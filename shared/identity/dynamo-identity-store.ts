import {
  type AttributeValue,
  type ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoBatchReader } from '../adapters/dynamo-batch-reader.js';
import { DependencyError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import {
  epoch,
  FIELDS,
  identityGsiPk,
  identityPk,
  isConditionFailure,
  liveOwner,
  PERSON_SK,
  personFrom,
  tokenOfKey,
} from './dynamo-identity-items.js';
import {
  type AnonymousBinding,
  type AttachResult,
  type ForgottenPerson,
  type IdentityNode,
  type IdentityStore,
  type KnownPerson,
  type PersonIdentifierKind,
  personKeys,
  type TokenKind,
} from './identity-store.js';

/** Settings of the DynamoDB identity store. */
export interface DynamoIdentityStoreOptions {
  readonly tableName: string;
  /** How long person bindings (identifier → person, anonymous id → person) are kept. */
  readonly personRetentionDays: number;
  /** How long a token nobody owns keeps its browsers after the last one attached (Customer.io keeps anonymous events 30 days). */
  readonly anonymousRetentionDays: number;
  /** The most browsers one token may hold; further ones are refused (bounds the merges an order can trigger). */
  readonly maxAnonymousIdsPerToken: number;
}

/** Default retention: person links for about a year and a month; browser attachments as long as Customer.io keeps anonymous events. */
export const IDENTITY_RETENTION = { personRetentionDays: 400, anonymousRetentionDays: 30 } as const;

/**
 * IdentityStore on the connector's single table. Items (pk / sk):
 * `id#<shop>#<kind>#<value>` / `person` → the person an identifier or token belongs to (newest statement wins);
 * for tokens the same item also holds `anonymousIds`, the browsers attached to it (a string set, capped), so a
 * beacon attaches its browser and learns the token's owner in one write, and an order reads a token's owner and
 * browsers in one read; `id#<shop>#anon#<anonymous id>` / `person` → the person the browser was merged into
 * (first binding wins). Single-item conditional writes only; expiry is decided in conditions and reads because
 * TTL deletes late. `expiresAt` (the TTL) is the owner's expiry once a trusted source named one
 * (`ownerExpiresAt`), else 30 days after the last browser attached.
 */
export class DynamoIdentityStore implements IdentityStore {
  /** Reads made together (the stage asks for every item it needs at once) go out as one BatchGetItem. */
  private readonly reader: DynamoBatchReader;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: DynamoIdentityStoreOptions,
    private readonly clock: Clock,
  ) {
    this.reader = new DynamoBatchReader(client, options.tableName);
  }

  async read(shop: string, kind: PersonIdentifierKind, value: string): Promise<IdentityNode> {
    const nowS = this.nowSeconds();
    const item = await this.reader.get(identityPk(shop, kind, value), PERSON_SK);
    const live = item !== undefined && (epoch(item, 'expiresAt') ?? Number.POSITIVE_INFINITY) >= nowS;
    const person = live ? liveOwner(item, nowS) : undefined;
    return {
      ...(person ? { person } : {}),
      anonymousIds: live ? [...(item.anonymousIds?.SS ?? [])].sort() : [],
    };
  }

  async personOfAnonymous(shop: string, anonymousId: string): Promise<KnownPerson | undefined> {
    const item = await this.anonymousItem(shop, anonymousId);
    if (!item || Number(item.expiresAt?.N ?? 0) < this.nowSeconds()) return undefined;
    return personFrom(item);
  }

  private async anonymousItem(
    shop: string,
    anonymousId: string,
  ): Promise<Record<string, AttributeValue> | undefined> {
    return this.reader.get(identityPk(shop, 'anon', anonymousId), PERSON_SK);
  }

  /**
   * A compatible statement (every identifier both sides carry is equal) adds to the stored person; an incompatible
   * newer one replaces it, absent fields removed, so two people's identifiers never mix on one node. Older
   * statements are ignored. Two conditional updates at most, no transaction.
   */
  async bindPerson(
    shop: string,
    kind: PersonIdentifierKind,
    value: string,
    person: KnownPerson,
    observedAt: string,
  ): Promise<void> {
    const pk = identityPk(shop, kind, value);
    const { names, values, sets } = this.personUpdate(shop, person, pk);
    const fresh =
      '(attribute_not_exists(observedAt) OR observedAt <= :observedAt OR ownerExpiresAt < :nowS OR ' +
      '(attribute_not_exists(ownerExpiresAt) AND expiresAt < :nowS))';
    const compatible = FIELDS.filter(([field]) => person[field] !== undefined).map(
      ([, attribute]) => `(attribute_not_exists(#${attribute}) OR #${attribute} = :${attribute})`,
    );
    const absent = FIELDS.filter(([field]) => person[field] === undefined).map(([, attribute]) => attribute);
    const replaceNames = { ...names, ...Object.fromEntries(absent.map((a) => [`#${a}`, a])) };
    const namesOrNothing = (map: Record<string, string>) =>
      Object.keys(map).length > 0 ? { ExpressionAttributeNames: map } : {};
    const common = {
      TableName: this.options.tableName,
      Key: { pk: { S: pk }, sk: { S: PERSON_SK } },
      ExpressionAttributeValues: {
        ...values,
        ':observedAt': { S: observedAt },
        ':expiresAt': { N: String(this.expiry(this.options.personRetentionDays)) },
        ':nowS': { N: String(this.nowSeconds()) },
      },
    };
    const assignments = [
      ...sets,
      'observedAt = :observedAt',
      'ownerExpiresAt = :expiresAt',
      'expiresAt = :expiresAt',
    ];
    try {
      await this.client.send(
        new UpdateItemCommand({
          ...common,
          ...namesOrNothing(names),
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: [fresh, ...compatible].join(' AND '),
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) {
        throw new DependencyError('DynamoDB identity bind failed', 'dynamodb', { cause: error });
      }
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          ...common,
          ...namesOrNothing(replaceNames),
          UpdateExpression: `SET ${assignments.join(', ')}${
            absent.length > 0 ? ` REMOVE ${absent.map((a) => `#${a}`).join(', ')}` : ''
          }`,
          ConditionExpression: fresh,
        }),
      );
    } catch (error) {
      // A newer statement about this identifier is already stored: keeping it is the point of the condition.
      if (isConditionFailure(error)) return;
      throw new DependencyError('DynamoDB identity bind failed', 'dynamodb', { cause: error });
    }
  }

  async attachAnonymous(
    shop: string,
    kind: TokenKind,
    token: string,
    anonymousId: string,
    _observedAt: string,
  ): Promise<AttachResult> {
    const nowS = this.nowSeconds();
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: identityPk(shop, kind, token) }, sk: { S: PERSON_SK } },
          // An owned token lives as long as its owner binding; an unowned one 30 days after its last browser.
          UpdateExpression:
            'ADD anonymousIds :ids SET expiresAt = if_not_exists(ownerExpiresAt, :anonExpiresAt)',
          ConditionExpression:
            'attribute_not_exists(anonymousIds) OR contains(anonymousIds, :id) OR size(anonymousIds) < :cap',
          ExpressionAttributeValues: {
            ':ids': { SS: [anonymousId] },
            ':id': { S: anonymousId },
            ':cap': { N: String(this.options.maxAnonymousIdsPerToken) },
            ':anonExpiresAt': { N: String(this.expiry(this.options.anonymousRetentionDays)) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const owner = liveOwner(out.Attributes, nowS);
      return { attached: true, ...(owner ? { owner } : {}) };
    } catch (error) {
      // The token holds its cap of other browsers: this one is not attached, and not merged through it.
      if (isConditionFailure(error)) return { attached: false };
      throw new DependencyError('DynamoDB anonymous attach failed', 'dynamodb', { cause: error });
    }
  }

  async bindAnonymous(
    shop: string,
    anonymousId: string,
    person: KnownPerson,
    observedAt: string,
    by?: string,
  ): Promise<AnonymousBinding> {
    const keys = personKeys(person);
    const first = keys[0];
    if (first === undefined) return { bound: false };
    const pk = identityPk(shop, 'anon', anonymousId);
    const { names, values, sets } = this.personUpdate(shop, person, pk);
    const keyValues = Object.fromEntries(keys.map((key, i) => [`:k${i}`, { S: key }]));
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: pk }, sk: { S: PERSON_SK } },
          UpdateExpression: `SET ${[
            ...sets,
            'personKey = :k0',
            'mergedAt = if_not_exists(mergedAt, :observedAt)',
            ...(by ? ['mergedBy = if_not_exists(mergedBy, :by)'] : []),
            'expiresAt = :expiresAt',
          ].join(', ')}`,
          ConditionExpression: `attribute_not_exists(personKey) OR personKey IN (${Object.keys(keyValues).join(', ')}) OR expiresAt < :nowS`,
          ...(sets.length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: {
            ...values,
            ...keyValues,
            ':observedAt': { S: observedAt },
            ...(by ? { ':by': { S: by } } : {}),
            ':expiresAt': { N: String(this.expiry(this.options.personRetentionDays)) },
            ':nowS': { N: String(this.nowSeconds()) },
          },
          ReturnValues: 'ALL_NEW',
          // DynamoDB returns the holder with the refusal; an emulator that does not is asked once more.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const boundAt = out.Attributes?.mergedAt?.S;
      const boundBy = out.Attributes?.mergedBy?.S;
      return {
        bound: true,
        person: personFrom(out.Attributes ?? {}) ?? person,
        ...(boundAt ? { boundAt } : {}),
        ...(boundBy ? { boundBy } : {}),
      };
    } catch (error) {
      if (!isConditionFailure(error)) {
        throw new DependencyError('DynamoDB anonymous bind failed', 'dynamodb', { cause: error });
      }
      const holder =
        (error as ConditionalCheckFailedException).Item ?? (await this.anonymousItem(shop, anonymousId));
      const held = holder ? personFrom(holder) : undefined;
      const boundAt = holder?.mergedAt?.S;
      const boundBy = holder?.mergedBy?.S;
      return {
        bound: false,
        ...(held ? { person: held } : {}),
        ...(boundAt ? { boundAt } : {}),
        ...(boundBy ? { boundBy } : {}),
      };
    }
  }

  async recordProfileMerge(
    shop: string,
    key: string,
    primary: KnownPerson,
    secondary: KnownPerson,
  ): Promise<void> {
    const primaryKey = personKeys(primary)[0];
    await this.call('profile merge record', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            pk: { S: key },
            sk: { S: PERSON_SK },
            merge: { S: JSON.stringify({ primary, secondary }) },
            expiresAt: { N: String(this.expiry(this.options.personRetentionDays)) },
            // Indexed under the account it merged into: a redact of that person deletes it (it holds the email).
            ...(primaryKey ? { gsi1pk: { S: identityGsiPk(shop, primaryKey) }, gsi1sk: { S: key } } : {}),
          },
        }),
      ),
    );
  }

  async profileMerge(key: string): Promise<{ primary: KnownPerson; secondary: KnownPerson } | undefined> {
    const text = (await this.reader.get(key, PERSON_SK))?.merge?.S;
    return text ? (JSON.parse(text) as { primary: KnownPerson; secondary: KnownPerson }) : undefined;
  }

  async forgetPerson(shop: string, person: KnownPerson): Promise<ForgottenPerson> {
    const targets = new Map<string, Record<string, AttributeValue>>();
    for (const [field] of FIELDS) {
      const value = person[field];
      if (value) {
        const pk = identityPk(shop, field, value);
        targets.set(`${pk}|${PERSON_SK}`, { pk: { S: pk }, sk: { S: PERSON_SK } });
      }
    }
    for (const key of personKeys(person)) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const out = await this.call('redact lookup', () =>
          this.client.send(
            new QueryCommand({
              TableName: this.options.tableName,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :g',
              ExpressionAttributeValues: { ':g': { S: identityGsiPk(shop, key) } },
              ExclusiveStartKey: start,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          const pk = item.pk?.S;
          const sk = item.sk?.S;
          if (pk && sk) targets.set(`${pk}|${sk}`, { pk: { S: pk }, sk: { S: sk } });
        }
        start = out.LastEvaluatedKey;
      } while (start);
    }
    let removed = 0;
    const tokens: [TokenKind, string][] = [];
    for (const key of targets.values()) {
      const out = await this.call('redact delete', () =>
        this.client.send(
          new DeleteItemCommand({ TableName: this.options.tableName, Key: key, ReturnValues: 'ALL_OLD' }),
        ),
      );
      if (!out.Attributes) continue;
      removed += 1;
      const token = tokenOfKey(shop, key.pk?.S ?? '');
      if (token && personFrom(out.Attributes)) tokens.push(token);
    }
    return { removed, tokens };
  }

  private personUpdate(shop: string, person: KnownPerson, sortKey: string) {
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {};
    const sets: string[] = [];
    for (const [field, attribute] of FIELDS) {
      const value = person[field];
      if (value === undefined) continue;
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = { S: value };
      sets.push(`#${attribute} = :${attribute}`);
    }
    const key = personKeys(person)[0];
    if (key !== undefined) {
      values[':gsi1pk'] = { S: identityGsiPk(shop, key) };
      values[':gsi1sk'] = { S: sortKey };
      // An email-only statement keeps a customer-id key already there, so a redact by customer id still finds it.
      sets.push(
        person.customer_id ? 'gsi1pk = :gsi1pk' : 'gsi1pk = if_not_exists(gsi1pk, :gsi1pk)',
        'gsi1sk = :gsi1sk',
      );
    }
    return { names, values, sets };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  private expiry(days: number): number {
    return this.nowSeconds() + days * 86_400;
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new DependencyError(`DynamoDB identity ${what} failed`, 'dynamodb', { cause: error });
    }
  }
}
