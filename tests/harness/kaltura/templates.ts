/**
 * Partner-0 stock HTTP notification templates (listTemplates / clone sources), after kaltura/server's
 * deployment/updates/scripts/xml/2018_04_27_httpNotificationsTemplate.template.xml (entry and category-entry),
 * 2018_04_27_categoryHttpNotifications.template.xml (category) and 2018_04_27_userCreatedHttpNotification.template.xml
 * (user): same system names, names, event types and event object types.
 * Conditions are the server's PHP expressions for display; dispatch in the stand-in uses the
 * declarative `condition` next to each (see notification-dispatcher.ts).
 * Each is DISABLED (status 1): every `add` in those files is followed by `updateStatus` to
 * EventNotificationTemplateStatus::DISABLED, so a partner's clone starts disabled until it is enabled.
 */
import type { Obj } from './params.js';
import type { TemplateCondition } from './state.js';

const evalParam = (key: string, description: string, code: string): Obj => ({
	key,
	description,
	value: { code, objectType: 'KalturaEvalStringField' },
	objectType: 'KalturaEventNotificationParameter'
});
const stringParam = (key: string, description: string, value: string): Obj => ({
	key,
	description,
	value: { value, objectType: 'KalturaStringValue' },
	objectType: 'KalturaEventNotificationParameter'
});
const fieldCondition = (description: string, code: string): Obj => ({
	description,
	field: { code, objectType: 'KalturaEvalBooleanField' },
	objectType: 'KalturaEventFieldCondition'
});
const matchCondition = (description: string, code: string, value: string): Obj => ({
	description,
	field: { code, objectType: 'KalturaEvalStringField' },
	values: [{ value, objectType: 'KalturaStringValue' }],
	objectType: 'KalturaFieldMatchCondition'
});

const ENTRY_PARAMS = [
	evalParam('entry_id', 'Entry ID', '$scope->getObject()->getId()'),
	evalParam('entry_name', 'Entry name', '$scope->getObject()->getName()'),
	evalParam('entry_status', 'Entry status', '$scope->getObject()->getStatus()'),
	evalParam('entry_reference_id', 'Entry reference ID', '$scope->getObject()->getReferenceID()')
];

interface Stock {
	template: Obj;
	condition?: TemplateCondition;
}

export function stockTemplates(): Stock[] {
	const created = 1420070400; // 2015-01-01
	let id = 1000;
	const t = (o: Obj, condition?: TemplateCondition): Stock => ({
		template: {
			id: ++id,
			partnerId: 0,
			type: 'httpNotification.Http',
			status: 1,
			createdAt: created,
			updatedAt: created,
			manualDispatchEnabled: false,
			automaticDispatchEnabled: true,
			eventConditions: [],
			contentParameters: [],
			userParameters: [],
			url: 'http://www.example.com',
			method: 2,
			timeout: 0,
			connectTimeout: 0,
			secureHashingAlgo: 1,
			...o,
			objectType: 'KalturaHttpNotificationTemplate'
		},
		...(condition ? { condition } : {})
	});
	return [
		t(
			{
				name: 'Entry Status Changed',
				systemName: 'HTTP_ENTRY_STATUS_CHANGED',
				description: 'HTTP notification template to be sent when an entry status changed.',
				eventType: 3,
				eventObjectType: 1,
				eventConditions: [fieldCondition('Status field modified', 'in_array(entryPeer::STATUS, $scope->getEvent()->getModifiedColumns())')],
				contentParameters: ENTRY_PARAMS
			},
			{ kind: 'modified', columns: ['status'] }
		),
		t(
			{
				name: 'Entry Status Equals',
				systemName: 'HTTP_ENTRY_STATUS_EQUALS',
				description: 'HTTP notification template to be sent when an entry status changed to a specific value.',
				eventType: 3,
				eventObjectType: 1,
				eventConditions: [
					fieldCondition('Status field modified', 'in_array(entryPeer::STATUS, $scope->getEvent()->getModifiedColumns())'),
					matchCondition('Status equals', '$scope->getObject()->getStatus()', '{trigger_status}')
				],
				contentParameters: ENTRY_PARAMS,
				userParameters: [stringParam('trigger_status', 'Entry status that triggers the notification (2 = READY)', '2')]
			},
			{ kind: 'modifiedEquals', column: 'status', field: 'status', userParameterKey: 'trigger_status' }
		),
		t(
			{
				name: 'Entry Changed',
				systemName: 'HTTP_ENTRY_CHANGED',
				description: 'HTTP notification template to be sent when entry metadata changed.',
				eventType: 3,
				eventObjectType: 1,
				eventConditions: [fieldCondition('Metadata columns modified', '$scope->getEvent()->isModified(...)')],
				contentParameters: ENTRY_PARAMS
			},
			{
				kind: 'modified',
				columns: [
					'name',
					'description',
					'tags',
					'categories',
					'categoriesIds',
					'referenceId',
					'partnerData',
					'adminTags',
					'startDate',
					'endDate'
				]
			}
		),
		t(
			{
				name: 'Entry Added to Category',
				systemName: 'HTTP_ENTRY_ADDED_TO_CATEGORY',
				description: 'HTTP notification template to be sent when an entry is added to a category.',
				eventType: 5,
				eventObjectType: 37,
				contentParameters: [
					evalParam('category_id', 'Category ID', '$scope->getObject()->getCategoryId()'),
					evalParam('entry_id', 'Entry ID', '$scope->getObject()->getEntryId()')
				]
			},
			{ kind: 'always' }
		),
		t(
			{
				name: 'Entry-Category Status Changed',
				systemName: 'HTTP_ENTRY_CATEGORY_STATUS_CHANGED',
				description: 'HTTP notification template to be sent when a category-entry status changed.',
				eventType: 3,
				eventObjectType: 37
			},
			{ kind: 'modified', columns: ['status'] }
		),
		t(
			{
				name: 'Category Metadata Changed',
				systemName: 'HTTP_CATEGORY_CHANGED',
				description: 'HTTP notification template to be sent when a category changed.',
				eventType: 3,
				eventObjectType: 2
			},
			{ kind: 'always' }
		),
		t(
			{
				name: 'Category Deleted',
				systemName: 'HTTP_CATEGORY_DELETED',
				description: 'HTTP notification template to be sent when a category is deleted.',
				eventType: 7,
				eventObjectType: 2
			},
			{ kind: 'always' }
		),
		t(
			{
				name: 'Category Created',
				systemName: 'CATEGORY_CREATED',
				description: 'HTTP notification template to be sent when a category is created.',
				eventType: 5,
				eventObjectType: 2
			},
			{ kind: 'always' }
		),
		t(
			{
				name: 'User created',
				systemName: 'USER_CREATED',
				description: 'HTTP notification template to be sent when a user is created.',
				eventType: 5,
				eventObjectType: 8,
				contentParameters: [evalParam('user_id', 'User ID', '$scope->getObject()->getPuserId()')]
			},
			{ kind: 'always' }
		)
	];
}
