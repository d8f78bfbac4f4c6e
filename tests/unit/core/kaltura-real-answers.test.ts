import { expect } from 'chai';
import { toKalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { eventNotificationTemplate, liveStream, scheduleEvent, user } from '../../../src/core/kaltura/services/index.js';

/**
 * Kaltura's own error codes are kept as codes, however long: toKalturaError refuses only what is no Kaltura code.
 * The longest in kaltura/server api_v3/lib/KalturaErrors.php is 73 characters (thrown by WidgetService add/update).
 */
describe('toKalturaError: real Kaltura codes', () => {
	it('GIVEN the longest code KalturaErrors defines THEN it is kept, and named to members', () => {
		const code = 'CANNOT_DISABLE_ENTITLEMENT_FOR_WIDGET_WHEN_ENTITLEMENT_ENFORCEMENT_ENABLE';
		const error = toKalturaError({
			code,
			message: 'Cannot create widget with no entitlement enforcement when current session is with entitlement enabled',
			objectType: 'KalturaAPIException',
			args: []
		});
		expect(error.code).to.equal(code);
		expect(error.userMessage).to.equal(`Kaltura refused the request (${code}).`);
	});

	it('GIVEN an upper-case "code" far longer than any Kaltura defines THEN it is not quoted', () => {
		const error = toKalturaError({ code: 'A'.repeat(200), message: 'x' });
		expect(error.code).to.equal('BAD_RESPONSE');
		expect(error.userMessage).to.not.include('AAAA');
	});
});

/**
 * Answers in the shapes kaltura/server sends (KalturaJsonSerializer leaves null fields out; list responses may
 * hold subclasses of the item type, each with its own fields), read by the typed services without a refusal.
 */
describe('Typed Kaltura services: answers as kaltura/server shapes them', () => {
	const page = { pageSize: 500, pageIndex: 1 };

	it('GIVEN partner 0 templates of every provider (email, Kafka, push, HTTP with text data) THEN the list is read', () => {
		const list = eventNotificationTemplate.listTemplates(page).parse({
			objectType: 'KalturaEventNotificationTemplateListResponse',
			totalCount: 4,
			objects: [
				// KalturaEmailNotificationTemplate: `format` is a string enum, `to` an object; no url, method or data.
				{
					objectType: 'KalturaEmailNotificationTemplate',
					id: 1,
					partnerId: 0,
					type: 'emailNotification.Email',
					status: 2,
					format: '1',
					to: { objectType: 'KalturaEmailNotificationStaticRecipientProvider' }
				},
				// KalturaKafkaNotificationTemplate: its own apiObjectType and messageFormat at the top level.
				{
					objectType: 'KalturaKafkaNotificationTemplate',
					id: 2,
					type: 'kafkaNotification.Kafka',
					status: 1,
					apiObjectType: 'KalturaMediaEntry',
					messageFormat: 1
				},
				{
					objectType: 'KalturaPushNotificationTemplate',
					id: 3,
					type: 'pushNotification.Push',
					status: 2,
					objectFormat: 1,
					queueNameParameters: []
				},
				// KalturaHttpNotificationDataText: content instead of apiObjectType and format.
				{
					objectType: 'KalturaHttpNotificationTemplate',
					id: 4,
					type: 'httpNotification.Http',
					status: 2,
					method: 2,
					secureHashingAlgo: 1,
					timeout: 10,
					data: { objectType: 'KalturaHttpNotificationDataText', content: { objectType: 'KalturaStringValue', value: '{}' } }
				}
			]
		});
		expect(list.objects.map((template) => template.id)).to.deep.equal([1, 2, 3, 4]);
		expect(list.objects[3]?.data).to.deep.equal({ objectType: 'KalturaHttpNotificationDataText' });
	});

	it('GIVEN a user with only its id and flags set, and an admin user in a list THEN both are read', () => {
		expect(
			user.get('m').parse({
				objectType: 'KalturaUser',
				id: 'm',
				partnerId: 5,
				isAdmin: false,
				isAccountOwner: false,
				status: 1,
				updatedAt: 1_700_000_000
			})
		).to.include({ id: 'm', isAdmin: false });
		const users = user.listByIds(['123', 'a'], page).parse({
			objectType: 'KalturaUserListResponse',
			totalCount: 2,
			objects: [
				// A numeric-looking puser id is still a string (kuser::hydrate casts puser_id to string).
				{ objectType: 'KalturaUser', id: '123', status: 1 },
				{ objectType: 'KalturaAdminUser', id: 'a', isAdmin: true, isAccountOwner: true, status: 1 }
			]
		});
		expect(users.objects.map((found) => found.id)).to.deep.equal(['123', 'a']);
	});

	it('GIVEN schedule events of the subclasses the bot makes, one without description or tags THEN they are read', () => {
		const events = scheduleEvent
			.list({ referenceIdEqual: 'r', statusEqual: 2, endDateGreaterThanOrEqual: 0, orderBy: '+startDate' }, page)
			.parse({
				objectType: 'KalturaScheduleEventListResponse',
				totalCount: 2,
				objects: [
					{ objectType: 'KalturaRecordScheduleEvent', id: 7, summary: 'A', startDate: 1, endDate: 2, status: 2, recurrenceType: 0 },
					{
						objectType: 'KalturaLiveStreamScheduleEvent',
						id: 8,
						summary: 'B',
						startDate: 1,
						endDate: 2,
						status: 2,
						templateEntryId: '0_abc',
						projectedAudience: 0
					}
				]
			});
		expect(events.objects.map((event) => event.id)).to.deep.equal([7, 8]);
	});

	it('GIVEN a live entry answered to an admin session without SRT settings THEN only what is set is read', () => {
		const entry = liveStream.add({ name: 'n', description: '', mediaType: 201, tags: '' }, '32').parse({
			objectType: 'KalturaLiveStreamEntry',
			id: '0_live',
			streamName: '0_live_%i',
			primaryBroadcastingUrl: 'rtmp://p.example/kLive',
			streamPassword: 'not read'
		});
		expect(entry).to.deep.equal({ id: '0_live', streamName: '0_live_%i', primaryBroadcastingUrl: 'rtmp://p.example/kLive' });
	});
});
