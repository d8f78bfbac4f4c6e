import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isObject, objectAt, pathOf, readText, stringAt, type Json } from './files.js';

/** The vendored schemas (tests/fixtures/schemas/README.md says where each comes from). */
const SCHEMAS = pathOf('tests', 'fixtures', 'schemas');
const readSchema = (file: string): Json => {
	const schema: unknown = JSON.parse(readText(`${SCHEMAS}/${file}`));
	if (!isObject(schema)) throw new Error(`${file} is no JSON schema`);
	// Ajv knows draft-07 by its own meta-schema id; the files name it in other spellings (https, no #).
	const { $schema: _metaSchema, ...rest } = schema;
	return rest;
};

/** Validates one document; the errors are readable lines, empty when it is valid. */
export type Validator = (document: unknown) => string[];

const describeErrors = (errors: readonly ErrorObject[] | null | undefined): string[] =>
	(errors ?? []).map((error) => {
		const extra = isObject(error.params) && typeof error.params.additionalProperty === 'string' ? ` (${error.params.additionalProperty})` : '';
		return `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${extra}`;
	});

const validatorOf =
	(validate: ValidateFunction): Validator =>
	(document) =>
		validate(document) ? [] : describeErrors(validate.errors);

/** Compose's, SchemaStore's and Kubernetes' schemas use keywords of their own (x-kubernetes-*, markdownDescription): not errors. */
const newAjv = () => new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });

export const composeValidator = (): Validator => validatorOf(newAjv().compile(readSchema('compose-spec.json')));
export const workflowValidator = (): Validator => validatorOf(newAjv().compile(readSchema('github-workflow.json')));
export const kustomizationValidator = (): Validator => validatorOf(newAjv().compile(readSchema('kustomization.json')));

/** A copy of a schema without `required`: a strategic merge patch names only the fields it changes. */
function withoutRequired(schema: unknown): unknown {
	if (Array.isArray(schema)) return schema.map(withoutRequired);
	if (!isObject(schema)) return schema;
	return Object.fromEntries(Object.entries(schema).flatMap(([key, value]) => (key === 'required' ? [] : [[key, withoutRequired(value)]])));
}

/** `apps/v1 StatefulSet` → its schema, for the Kubernetes kinds the manifests use and the ServiceMonitor CRD. */
export interface KubernetesValidators {
	/** The validator of a resource's apiVersion and kind, or undefined when no vendored schema has it. */
	readonly of: (apiVersion: string, kind: string) => Validator | undefined;
	/** The same, with no field required: for patches. */
	readonly ofPatch: (apiVersion: string, kind: string) => Validator | undefined;
	readonly kinds: readonly string[];
}

export function kubernetesValidators(): KubernetesValidators {
	const builtIn = readSchema('kubernetes/definitions-v1.36.json');
	const crd = readSchema('kubernetes/servicemonitor-monitoring.coreos.com-v1.json');
	const byKind = new Map<string, { full: Json; partial: Json }>();
	const definitions = objectAt(builtIn, 'definitions');
	const optionalDefinitions = withoutRequired(definitions);
	for (const [name, definition] of Object.entries(definitions)) {
		const kinds = isObject(definition) ? definition['x-kubernetes-group-version-kind'] : undefined;
		for (const gvk of Array.isArray(kinds) ? kinds : []) {
			const group = stringAt(gvk, 'group') ?? '';
			const key = `${group === '' ? '' : `${group}/`}${stringAt(gvk, 'version') ?? ''} ${stringAt(gvk, 'kind') ?? ''}`;
			const reference = { $ref: `#/definitions/${name}` };
			byKind.set(key, {
				full: { ...reference, definitions },
				partial: { ...reference, definitions: optionalDefinitions }
			});
		}
	}
	const crdSchema = objectAt(crd, 'schema');
	byKind.set(`${String(crd.group)}/${String(crd.version)} ${String(crd.kind)}`, { full: crdSchema, partial: objectAt(withoutRequired(crdSchema)) });
	const compiled = new Map<string, Validator>();
	const lookup = (key: string, which: 'full' | 'partial'): Validator | undefined => {
		const schemas = byKind.get(key);
		if (schemas === undefined) return undefined;
		const cacheKey = `${which} ${key}`;
		const known = compiled.get(cacheKey);
		if (known !== undefined) return known;
		const validator = validatorOf(newAjv().compile(schemas[which]));
		compiled.set(cacheKey, validator);
		return validator;
	};
	return {
		of: (apiVersion, kind) => lookup(`${apiVersion} ${kind}`, 'full'),
		ofPatch: (apiVersion, kind) => lookup(`${apiVersion} ${kind}`, 'partial'),
		kinds: [...byKind.keys()]
	};
}
