import { LIST_SCHEMA, USER_SCHEMA } from './schema.js';

/** The discovery documents of RFC 7644 §4 and RFC 7643 §5–7, for the attributes kickbot keeps. */

/** The most resources one page of a list answers (the ServiceProviderConfig's filter.maxResults). */
export const MAX_RESULTS = 200;

export function serviceProviderConfig(base: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'Authorization: Bearer <KICKBOT_SCIM_TOKEN>',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function userResourceType(base: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description:
      'A person the identity provider provisions; deactivating one offboards them from everything kickbot reaches',
    schema: USER_SCHEMA,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  };
}

interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  uniqueness?: 'none' | 'server' | 'global';
  description: string;
  subAttributes?: Attribute[];
}

/** RFC 7643 §7's defaults, written out as clients expect them. */
function attribute(a: Attribute): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description,
    required: a.required ?? false,
    ...(a.type === 'string' ? { caseExact: a.caseExact ?? false } : {}),
    mutability: a.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: a.uniqueness ?? 'none',
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attribute) } : {}),
  };
}

const text = (name: string, description: string): Attribute => ({ name, type: 'string', description });

const USER_ATTRIBUTES: Attribute[] = [
  {
    name: 'userName',
    type: 'string',
    required: true,
    uniqueness: 'server',
    description: 'Unique identifier for the User; kickbot links it to a person by this or a primary email',
  },
  {
    name: 'externalId',
    type: 'string',
    caseExact: true,
    description: "The identity provider's id for the User",
  },
  {
    name: 'name',
    type: 'complex',
    description: "The components of the user's name",
    subAttributes: [
      text('formatted', 'The full name'),
      text('familyName', 'The family name'),
      text('givenName', 'The given name'),
      text('middleName', 'The middle name'),
      text('honorificPrefix', 'The honorific prefix'),
      text('honorificSuffix', 'The honorific suffix'),
    ],
  },
  text('displayName', 'The name of the User, suitable for display'),
  {
    name: 'emails',
    type: 'complex',
    multiValued: true,
    description: 'Email addresses for the user; a primary one may link the User to a person',
    subAttributes: [
      text('value', 'The email address'),
      text('type', 'work, home or other'),
      { name: 'primary', type: 'boolean', description: 'Whether this is the primary address' },
    ],
  },
  {
    name: 'active',
    type: 'boolean',
    description: "The User's administrative status; turning it false offboards the person, true undoes that",
  },
];

export function userSchema(base: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: USER_SCHEMA,
    name: 'User',
    description: 'User Account',
    attributes: USER_ATTRIBUTES.map(attribute),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${USER_SCHEMA}` },
  };
}

/** A ListResponse of discovery resources, all on one page. */
export function listOf(resources: Record<string, unknown>[]): Record<string, unknown> {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
