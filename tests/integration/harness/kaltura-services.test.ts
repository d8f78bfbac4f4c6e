/**
 * The Kaltura stand-in's services (user, media/baseEntry, eSearch, category, schedule, liveStream,
 * multirequest, event-notification templates), exercised through the REAL kaltura-client.
 */
import { expect } from 'chai';
import { createKalturaClient, kaltura, KalturaStandIn, type KalturaClient } from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const PID = 777;
const SECRET = 'svc-secret';

describe('Kaltura stand-in: services through kaltura-client', function () {
	let k: KalturaStandIn;
	let admin: KalturaClient;

	before(async function () {
		k = await KalturaStandIn.start({ partnerId: PID, adminSecret: SECRET, conversionDelayMs: 10 });
		admin = createKalturaClient(k.serviceUrl);
		admin.setKs(await kaltura.services.session.start(SECRET, 'bot-admin', 2, PID).execute(admin));
	});
	after(async function () {
		await k.stop();
	});

	describe('user', function () {
		it('GIVEN a user added WHEN added again THEN DUPLICATE_USER_BY_ID with UID', async function () {
			const user = await kaltura.services.user
				.add(
					new kaltura.objects.User({
						id: 'discord_111',
						firstName: 'Ada',
						lastName: 'Lovelace',
						email: 'ada@example.com',
						partnerData: '{"guild":"1"}'
					})
				)
				.execute(admin);
			expect(user).to.include({
				id: 'discord_111',
				partnerId: PID,
				fullName: 'Ada Lovelace',
				status: 1,
				email: 'ada@example.com',
				objectType: 'KalturaUser'
			});
			expect(user).to.not.have.property('password');
			const err = await rejectionOf(kaltura.services.user.add(new kaltura.objects.User({ id: 'discord_111' })).execute(admin));
			expect(err).to.deep.equal({
				code: 'DUPLICATE_USER_BY_ID',
				message: 'User with id [discord_111] already exists in system',
				objectType: 'KalturaAPIException',
				args: { UID: 'discord_111' }
			});
		});

		it('GIVEN an id with ":" THEN INVALID_FIELD_VALUE; GIVEN an unknown user THEN INVALID_USER_ID with args []', async function () {
			const bad = await rejectionOf(kaltura.services.user.add(new kaltura.objects.User({ id: 'discord:1' })).execute(admin));
			expect(bad).to.include({ code: 'INVALID_FIELD_VALUE' });
			expect(bad.args).to.deep.equal({ FIELD_NAME: 'id' });
			const missing = await rejectionOf(kaltura.services.user.get('nobody').execute(admin));
			expect(missing).to.deep.equal({ code: 'INVALID_USER_ID', message: 'Invalid user id', objectType: 'KalturaAPIException', args: [] });
		});

		it('GIVEN users WHEN update, delete and list with filter + pager THEN totals and pages follow', async function () {
			for (let i = 0; i < 5; i++) {
				await kaltura.services.user.add(new kaltura.objects.User({ id: `page_${i}`, firstName: i % 2 ? 'Odd' : 'Even' })).execute(admin);
			}
			const updated = await kaltura.services.user.update('page_0', new kaltura.objects.User({ lastName: 'Zero' })).execute(admin);
			expect(updated.fullName).to.equal('Even Zero');
			await kaltura.services.user.deleteAction('page_4').execute(admin);
			const page = await kaltura.services.user
				.listAction(
					new kaltura.objects.UserFilter({ idOrScreenNameStartsWith: 'page_', orderBy: '+id' }),
					new kaltura.objects.FilterPager({ pageSize: 2, pageIndex: 2 })
				)
				.execute(admin);
			expect(page.totalCount).to.equal(4);
			expect(page.objects.map((u: { id: string }) => u.id)).to.deep.equal(['page_2', 'page_3']);
			const odd = await kaltura.services.user.listAction(new kaltura.objects.UserFilter({ firstNameStartsWith: 'odd' })).execute(admin);
			expect(odd.objects.map((u: { id: string }) => u.id).sort()).to.deep.equal(['page_1', 'page_3']);
		});

		it('GIVEN a USER KS WHEN user.get of another user THEN CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION', async function () {
			const me = createKalturaClient(k.serviceUrl, { ks: k.mintKs({ type: 0, userId: 'discord_111' }) });
			expect((await kaltura.services.user.get().execute(me)).id).to.equal('discord_111');
			const err = await rejectionOf(kaltura.services.user.get('page_1').execute(me));
			expect(err.args).to.deep.equal({ USER_ID: 'page_1' });
		});
	});

	describe('media / baseEntry', function () {
		let ids: string[] = [];
		let catId = 0;
		before(function () {
			const cat = k.state.addCategory({ name: 'Lectures' });
			catId = cat.id as number;
			ids = [
				k.state.addEntry({
					name: 'Intro to cats',
					description: 'felines',
					tags: 'cats,pets',
					categoriesIds: String(cat.id),
					userId: 'alice',
					referenceId: 'ref-1',
					createdAt: 1000
				}),
				k.state.addEntry({ name: 'Dogs deep dive', tags: 'dogs,pets', userId: 'bob', createdAt: 2000 }),
				k.state.addEntry({ name: 'Cats advanced', tags: 'cats', categoriesIds: String(cat.id), status: 4, createdAt: 3000 }),
				k.state.addEntry({ name: 'Birds', tags: 'birds', createdAt: 4000 })
			].map((e) => e.id as string);
		});

		it('GIVEN seeded entries WHEN media.list with filter and pager THEN matching entries, newest first, with totalCount', async function () {
			const res = await kaltura.services.media
				.listAction(
					new kaltura.objects.MediaEntryFilter({ tagsLike: 'pets', statusIn: '2' }),
					new kaltura.objects.FilterPager({ pageSize: 1, pageIndex: 1 })
				)
				.execute(admin);
			expect(res.objectType).to.equal('KalturaMediaListResponse');
			expect(res.totalCount).to.equal(2);
			expect(res.objects).to.have.length(1);
			expect(res.objects[0]).to.include({ id: ids[1], objectType: 'KalturaMediaEntry', status: 2 });
			// no status condition → READY only (KalturaBaseEntryFilter::setDefaultStatus), so the PENDING one is left out
			const byCat = await kaltura.services.media
				.listAction(
					new kaltura.objects.MediaEntryFilter({
						categoriesIdsMatchOr: `${catId},999`,
						orderBy: '+createdAt'
					})
				)
				.execute(admin);
			expect(byCat.objects.map((e: { id: string }) => e.id)).to.deep.equal([ids[0]]);
			const byCatAll = await kaltura.services.media
				.listAction(
					new kaltura.objects.MediaEntryFilter({
						categoriesIdsMatchOr: String(catId),
						statusIn: '2,4',
						orderBy: '-createdAt'
					})
				)
				.execute(admin);
			expect(byCatAll.objects.map((e: { id: string }) => e.id)).to.deep.equal([ids[2], ids[0]]);
			const count = await kaltura.services.media.count().execute(admin);
			expect(count).to.equal(3);
			const free = await kaltura.services.media.listAction(new kaltura.objects.MediaEntryFilter({ freeText: 'felines' })).execute(admin);
			expect(free.objects.map((e: { id: string }) => e.id)).to.deep.equal([ids[0]]);
			const byRef = await kaltura.services.baseEntry.listByReferenceId('ref-1').execute(admin);
			expect(byRef.objectType).to.equal('KalturaBaseEntryListResponse');
			expect(byRef.objects[0].id).to.equal(ids[0]);
			expect(k.stats.warnings).to.deep.equal([]);
		});

		it('GIVEN a page window beyond max matches THEN QUERY_EXCEEDED_MAX_MATCHES_ALLOWED', async function () {
			const saved = k.state.maxMatches;
			k.state.maxMatches = 100;
			try {
				await kaltura.services.media.listAction(null, new kaltura.objects.FilterPager({ pageSize: 50, pageIndex: 2 })).execute(admin);
				const err = await rejectionOf(
					kaltura.services.media.listAction(null, new kaltura.objects.FilterPager({ pageSize: 50, pageIndex: 3 })).execute(admin)
				);
				expect(err).to.include({
					code: 'QUERY_EXCEEDED_MAX_MATCHES_ALLOWED',
					message: 'Unable to generate list. max matches value was reached'
				});
			} finally {
				k.state.maxMatches = saved;
			}
		});

		it('GIVEN an unknown entry THEN ENTRY_ID_NOT_FOUND with ENTRY_ID', async function () {
			const err = await rejectionOf(kaltura.services.media.get('0_nothere').execute(admin));
			expect(err).to.deep.equal({
				code: 'ENTRY_ID_NOT_FOUND',
				message: 'Entry id "0_nothere" not found',
				objectType: 'KalturaAPIException',
				args: { ENTRY_ID: '0_nothere' }
			});
		});

		it('GIVEN media.add without mediaType THEN PROPERTY_VALIDATION_CANNOT_BE_NULL; WITH it THEN NO_CONTENT then READY after addFromUrl', async function () {
			const err = await rejectionOf(kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'x' })).execute(admin));
			expect(err.args).to.deep.equal({ PROP_NAME: 'KalturaMediaEntry::mediaType' });
			const added = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'upload', mediaType: 1 })).execute(admin);
			expect(added.status).to.equal(7);
			const imported = await kaltura.services.media
				.addFromUrl(new kaltura.objects.MediaEntry({ name: 'imp', mediaType: 1 }), 'https://example.com/a.mp4')
				.execute(admin);
			expect(imported.status).to.equal(0);
			await new Promise((r) => setTimeout(r, 60));
			const ready = await kaltura.services.media.get(imported.id).execute(admin);
			expect(ready.status).to.equal(2);
		});

		it("GIVEN a USER KS THEN it may update its own entry but another user's gives INVALID_KS -4 INVALID_TYPE", async function () {
			const alice = createKalturaClient(k.serviceUrl, { ks: k.mintKs({ type: 0, userId: 'alice' }) });
			const mine = await kaltura.services.media.update(ids[0], new kaltura.objects.MediaEntry({ description: 'mine' })).execute(alice);
			expect(mine.description).to.equal('mine');
			const err = await rejectionOf(kaltura.services.media.update(ids[1], new kaltura.objects.MediaEntry({ description: 'x' })).execute(alice));
			expect(err.args).to.deep.equal({ KSID: '', ERR_CODE: '-4', ERR_DESC: 'INVALID_TYPE' });
			const withEdit = createKalturaClient(k.serviceUrl, { ks: k.mintKs({ type: 0, userId: 'alice', privileges: `edit:${ids[1]!}` }) });
			await kaltura.services.media.update(ids[1], new kaltura.objects.MediaEntry({ description: 'granted' })).execute(withEdit);
		});
	});

	describe('eSearch', function () {
		it('GIVEN entries WHEN searchEntry with a unified item THEN free text matches name/description/tags', async function () {
			k.state.addEntry({ name: 'Quantum physics lecture', description: 'entanglement', tags: 'science', createdAt: 10 });
			k.state.addEntry({ name: 'Cooking', description: 'about quantum soup', tags: 'food', createdAt: 20 });
			k.state.addEntry({ name: 'Quantum draft', status: 7 });
			const params = new kaltura.objects.ESearchEntryParams({
				searchOperator: new kaltura.objects.ESearchEntryOperator({
					operator: kaltura.enums.ESearchOperatorType.AND_OP,
					searchItems: [
						new kaltura.objects.ESearchUnifiedItem({
							searchTerm: 'quantum',
							itemType: kaltura.enums.ESearchItemType.PARTIAL,
							addHighlight: true
						})
					]
				})
			});
			const res = await kaltura.services.eSearch.searchEntry(params, new kaltura.objects.Pager({ pageSize: 10 })).execute(admin);
			expect(res.objectType).to.equal('KalturaESearchEntryResponse');
			expect(res.totalCount).to.equal(2);
			expect(res.objects.map((r: { object: { name: string } }) => r.object.name).sort()).to.deep.equal(['Cooking', 'Quantum physics lecture']);
			expect(res.objects[0].objectType).to.equal('KalturaESearchEntryResult');

			const nameOnly = new kaltura.objects.ESearchEntryParams({
				searchOperator: new kaltura.objects.ESearchEntryOperator({
					operator: 1,
					searchItems: [
						new kaltura.objects.ESearchEntryItem({ fieldName: 'name', searchTerm: 'quantum', itemType: 2 }),
						new kaltura.objects.ESearchEntryItem({ fieldName: 'tags', searchTerm: 'science', itemType: 1 })
					]
				})
			});
			const res2 = await kaltura.services.eSearch.searchEntry(nameOnly).execute(admin);
			expect(res2.objects.map((r: { object: { name: string } }) => r.object.name)).to.deep.equal(['Quantum physics lecture']);
		});
	});

	describe('schedule', function () {
		it('GIVEN a room resource, a meeting event and a link THEN they round-trip and filter by resource and referenceId', async function () {
			const room = await kaltura.services.scheduleResource
				.add(
					new kaltura.objects.LocationScheduleResource({
						name: 'Discord room',
						tags: 'vcprovider:newrow',
						systemName: 'discord-room-1'
					})
				)
				.execute(admin);
			expect(room).to.include({ objectType: 'KalturaLocationScheduleResource', status: 2, name: 'Discord room', partnerId: PID });
			expect(room.id).to.be.a('number');

			const now = Math.floor(Date.now() / 1000);
			const missing = await rejectionOf(
				kaltura.services.scheduleEvent
					.add(
						new kaltura.objects.MeetingScheduleEvent({
							startDate: now,
							endDate: now + 3600,
							recurrenceType: 0
						})
					)
					.execute(admin)
			);
			expect(missing.args).to.deep.equal({ PROP_NAME: 'KalturaMeetingScheduleEvent::summary' });
			const backwards = await rejectionOf(
				kaltura.services.scheduleEvent
					.add(
						new kaltura.objects.MeetingScheduleEvent({
							summary: 's',
							startDate: now + 10,
							endDate: now,
							recurrenceType: 0
						})
					)
					.execute(admin)
			);
			expect(backwards.code).to.equal('INVALID_SCHEDULE_END_BEFORE_START');

			const event = await kaltura.services.scheduleEvent
				.add(
					new kaltura.objects.MeetingScheduleEvent({
						summary: 'Weekly sync',
						startDate: now,
						endDate: now + 3600,
						recurrenceType: kaltura.enums.ScheduleEventRecurrenceType.NONE,
						referenceId: 'discord:guild:1:evt:2',
						tags: 'custom_rs_class_mode:virtual_classroom',
						preStartTime: 600
					})
				)
				.execute(admin);
			expect(event).to.include({ objectType: 'KalturaMeetingScheduleEvent', status: 2, duration: 3600, ownerId: 'bot-admin', sequence: 1 });

			const link = await kaltura.services.scheduleEventResource
				.add(new kaltura.objects.ScheduleEventResource({ eventId: event.id, resourceId: room.id }))
				.execute(admin);
			expect(link).to.include({ eventId: event.id, resourceId: room.id, objectType: 'KalturaScheduleEventResource' });
			const dup = await rejectionOf(
				kaltura.services.scheduleEventResource
					.add(new kaltura.objects.ScheduleEventResource({ eventId: event.id, resourceId: room.id }))
					.execute(admin)
			);
			expect(dup.args).to.deep.equal({ EVENT_ID: String(event.id), RESOURCE_ID: String(room.id) });

			const active = await kaltura.services.scheduleEvent
				.listAction(
					new kaltura.objects.ScheduleEventFilter({
						resourceIdEqual: room.id,
						statusEqual: 2,
						startDateLessThanOrEqual: now,
						endDateGreaterThanOrEqual: now
					})
				)
				.execute(admin);
			expect(active.objects.map((e: { id: number }) => e.id)).to.deep.equal([event.id]);
			const byRef = await kaltura.services.scheduleEvent
				.listAction(new kaltura.objects.MeetingScheduleEventFilter({ referenceIdEqual: 'discord:guild:1:evt:2' }))
				.execute(admin);
			expect(byRef.totalCount).to.equal(1);
			const noLive = await kaltura.services.scheduleEvent
				.listAction(new kaltura.objects.LiveStreamScheduleEventFilter({ referenceIdEqual: 'discord:guild:1:evt:2' }))
				.execute(admin);
			expect(noLive.totalCount).to.equal(0);

			const updated = await kaltura.services.scheduleEvent
				.update(event.id, new kaltura.objects.MeetingScheduleEvent({ endDate: now + 60 }))
				.execute(admin);
			expect(updated).to.include({ duration: 60, sequence: 2 });
			const cancelled = await kaltura.services.scheduleEvent.cancel(event.id).execute(admin);
			expect(cancelled.status).to.equal(1);
			expect(await kaltura.services.scheduleEventResource.deleteAction(event.id, room.id).execute(admin)).to.equal(null);
			const links = await kaltura.services.scheduleEventResource
				.listAction(new kaltura.objects.ScheduleEventResourceFilter({ eventIdEqual: event.id }))
				.execute(admin);
			expect(links.totalCount).to.equal(0);
			// A cancelled event is still there: got, listed, cancelled again (ScheduleEventService, ScheduleEventPeer).
			expect(await kaltura.services.scheduleEvent.get(event.id).execute(admin)).to.include({ status: 1 });
			expect((await kaltura.services.scheduleEvent.cancel(event.id).execute(admin)).status).to.equal(1);
			await kaltura.services.scheduleEvent.deleteAction(event.id).execute(admin);
			// A deleted one is missing to every action (INVALID_OBJECT_ID with the id) and to lists.
			for (const call of [
				kaltura.services.scheduleEvent.get(event.id),
				kaltura.services.scheduleEvent.cancel(event.id),
				kaltura.services.scheduleEvent.deleteAction(event.id),
				kaltura.services.scheduleEvent.update(event.id, new kaltura.objects.MeetingScheduleEvent({ summary: 'x' }))
			]) {
				const gone = await rejectionOf(call.execute(admin));
				expect(gone).to.include({ code: 'INVALID_OBJECT_ID', message: `Invalid object id [${event.id}]` });
				expect(gone.args).to.deep.equal({ ID: String(event.id) });
			}
			const listed = await kaltura.services.scheduleEvent
				.listAction(new kaltura.objects.ScheduleEventFilter({ idEqual: event.id }))
				.execute(admin);
			expect(listed.totalCount).to.equal(0);
			const never = await rejectionOf(kaltura.services.scheduleEvent.get(987654321).execute(admin));
			expect(never.code).to.equal('INVALID_OBJECT_ID');
			// Linking a missing event is the one schedule action that names it otherwise (KalturaScheduleEventResource::validateForInsert).
			const unlinked = await rejectionOf(
				kaltura.services.scheduleEventResource
					.add(new kaltura.objects.ScheduleEventResource({ eventId: event.id, resourceId: room.id }))
					.execute(admin)
			);
			expect(unlinked.code).to.equal('SCHEDULE_EVENT_ID_NOT_FOUND');
		});
	});

	describe('liveStream', function () {
		it('GIVEN a live stream WHEN it goes PLAYABLE THEN isLive turns true; protocol is mandatory', async function () {
			const live = await kaltura.services.liveStream
				.add(
					new kaltura.objects.LiveStreamEntry({
						name: 'Town hall',
						mediaType: kaltura.enums.MediaType.LIVE_STREAM_FLASH,
						recordStatus: 1
					}),
					kaltura.enums.SourceType.LIVE_STREAM
				)
				.execute(admin);
			expect(live).to.include({
				objectType: 'KalturaLiveStreamEntry',
				type: 7,
				mediaType: 201,
				sourceType: 32,
				liveStatus: 0,
				recordStatus: 1
			});
			expect(live.primaryBroadcastingUrl).to.match(/^rtmp:\/\//);
			expect(await kaltura.services.liveStream.isLive(live.id, 'hls').execute(admin)).to.equal(false);
			k.state.setLiveStatus(live.id, 1);
			expect(await kaltura.services.liveStream.isLive(live.id, 'hls').execute(admin)).to.equal(true);
			const listed = await kaltura.services.liveStream.listAction(new kaltura.objects.LiveStreamEntryFilter({ isLive: 1 })).execute(admin);
			expect(listed.objects.map((e: { id: string }) => e.id)).to.deep.equal([live.id]);
			const noProtocol = await rejectionOf(kaltura.services.liveStream.isLive(live.id).execute(admin));
			expect(noProtocol.args).to.deep.equal({ PARAM_NAME: 'protocol' });
			const notMedia = await rejectionOf(kaltura.services.media.get(live.id).execute(admin));
			expect(notMedia.code).to.equal('ENTRY_ID_NOT_FOUND');
		});

		it('GIVEN liveStream.add THEN the server sets the password, RTMP(S) and SRT ingest, recording by the partner default; only editors read them', async function () {
			const noMediaType = await rejectionOf(
				kaltura.services.liveStream
					.add(new kaltura.objects.LiveStreamEntry({ name: 'x' }), kaltura.enums.SourceType.LIVE_STREAM)
					.execute(admin)
			);
			expect(noMediaType.args).to.deep.equal({ PROP_NAME: 'KalturaLiveStreamEntry::mediaType' });
			const live = await kaltura.services.liveStream
				.add(
					new kaltura.objects.LiveStreamEntry({
						name: 'Launch',
						mediaType: kaltura.enums.MediaType.LIVE_STREAM_FLASH
					}),
					kaltura.enums.SourceType.LIVE_STREAM
				)
				.execute(admin);
			const password = String(live.streamPassword);
			expect(password).to.match(/^[0-9a-f]{8}$/);
			expect(live).to.include({ streamName: `${live.id}_%i`, recordStatus: 1, status: 2 });
			expect(live.primaryBroadcastingUrl).to.match(new RegExp(`^rtmp://[^/]+:1935/kLive\\?t=${password}$`));
			expect(live.secondaryBroadcastingUrl).to.match(/^rtmp:\/\//);
			expect(live.primarySecuredBroadcastingUrl).to.match(/^rtmps:\/\/[^/]+:443\//);
			expect(live.primarySrtBroadcastingUrl).to.match(/^srt:\/\/[^/?]+:7045$/);
			expect(live.primarySrtStreamId).to.equal(`#:::e=${live.id},st=0,p=${password}`);
			const viewer = createKalturaClient(k.serviceUrl, { ks: k.mintKs({ type: 0, userId: 'someone-else' }) });
			const seen = await kaltura.services.liveStream.get(live.id).execute(viewer);
			for (const field of [
				'primaryBroadcastingUrl',
				'secondaryBroadcastingUrl',
				'primarySecuredBroadcastingUrl',
				'primarySrtBroadcastingUrl',
				'primarySrtStreamId',
				'streamPassword'
			]) {
				expect(seen[field], field).to.equal(undefined);
			}
			k.state.liveRecordingAllowed = false;
			try {
				const unrecorded = await kaltura.services.liveStream
					.add(new kaltura.objects.LiveStreamEntry({ name: 'No rec', mediaType: 201 }), '32')
					.execute(admin);
				expect(unrecorded.recordStatus).to.equal(0);
			} finally {
				k.state.liveRecordingAllowed = true;
			}
		});

		it('GIVEN a partner without an SRT domain WHEN liveStream.add THEN the SRT URL has no host but the stream ids are still there', async function () {
			k.state.srtIngest = false;
			try {
				const live = await kaltura.services.liveStream
					.add(
						new kaltura.objects.LiveStreamEntry({
							name: 'No SRT',
							mediaType: kaltura.enums.MediaType.LIVE_STREAM_FLASH
						}),
						kaltura.enums.SourceType.LIVE_STREAM
					)
					.execute(admin);
				expect(live.primarySrtBroadcastingUrl).to.equal('srt://:7045');
				expect(live.secondarySrtBroadcastingUrl).to.equal('srt://:7045');
				expect(live.primarySrtStreamId).to.equal(`#:::e=${live.id},st=0,p=${String(live.streamPassword)}`);
				expect(live.primaryBroadcastingUrl).to.match(/^rtmp:\/\/[^/:]+:1935\//);
			} finally {
				k.state.srtIngest = true;
			}
		});
	});

	describe('multirequest', function () {
		it('GIVEN chained requests with {N:result} tokens THEN results come back as an array with errors in place', async function () {
			const cat = await kaltura.services.category.add(new kaltura.objects.Category({ name: 'MR' })).execute(admin);
			const res = await kaltura.services.media
				.add(new kaltura.objects.MediaEntry({ name: 'mr entry', mediaType: 1, tags: 'mr' }))
				.add(kaltura.services.categoryEntry.add(new kaltura.objects.CategoryEntry({ entryId: '{1:result:id}', categoryId: cat.id })))
				.add(kaltura.services.media.get('{1:result:id}'))
				.add(kaltura.services.media.get('0_missing'))
				.add(
					kaltura.services.media.listAction(new kaltura.objects.MediaEntryFilter({ idIn: '{1:result:id}', statusIn: '{1:result:status}' }))
				)
				.execute(admin);
			expect(res).to.be.an('array').with.length(5);
			expect(res[1]).to.include({ objectType: 'KalturaCategoryEntry', entryId: res[0].id, categoryId: cat.id });
			expect(res[2]).to.include({ id: res[0].id, categoriesIds: String(cat.id) });
			expect(res[3]).to.include({ code: 'ENTRY_ID_NOT_FOUND', objectType: 'KalturaAPIException' });
			expect(res[4].totalCount).to.equal(1);
			expect(k.stats.callsTo('multirequest')).to.have.length(0);
			expect(k.stats.callsTo('media', 'get').filter((c) => c.multirequest)).to.have.length(2);
		});
	});

	describe('event notification templates', function () {
		it('GIVEN the stock templates WHEN listTemplates, clone, updateStatus THEN the partner owns an active copy', async function () {
			const stock = await kaltura.services.eventNotificationTemplate
				.listTemplates(
					new kaltura.objects.EventNotificationTemplateFilter({
						typeEqual: kaltura.enums.EventNotificationTemplateType.HTTP,
						systemNameEqual: 'HTTP_ENTRY_STATUS_CHANGED'
					})
				)
				.execute(admin);
			expect(stock.objectType).to.equal('KalturaEventNotificationTemplateListResponse');
			expect(stock.totalCount).to.equal(1);
			const src = stock.objects[0];
			expect(src).to.include({
				partnerId: 0,
				type: 'httpNotification.Http',
				eventType: 3,
				eventObjectType: 1,
				objectType: 'KalturaHttpNotificationTemplate'
			});

			const own = await kaltura.services.eventNotificationTemplate.listAction().execute(admin);
			expect(own.totalCount).to.equal(0);
			const notMine = await rejectionOf(kaltura.services.eventNotificationTemplate.get(src.id).execute(admin));
			expect(notMine).to.include({ code: 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND' });

			const cloned = await kaltura.services.eventNotificationTemplate
				.cloneAction(
					src.id,
					new kaltura.objects.HttpNotificationTemplate({
						name: 'Bot: entry status',
						systemName: 'BOT_ENTRY_STATUS',
						url: 'http://127.0.0.1:9/hook',
						secureHashingAlgo: kaltura.enums.SecureHashingAlgo.SHA_256,
						data: new kaltura.objects.HttpNotificationObjectData({
							apiObjectType: 'KalturaMediaEntry',
							format: 1,
							code: '$scope->getObject()'
						})
					})
				)
				.execute(admin);
			expect(cloned).to.include({
				partnerId: PID,
				systemName: 'BOT_ENTRY_STATUS',
				url: 'http://127.0.0.1:9/hook',
				secureHashingAlgo: 2,
				eventType: 3
			});
			expect(cloned.id).to.not.equal(src.id);
			expect(cloned.contentParameters).to.have.length(4);

			// the stock templates are DISABLED, and so is their clone; system names are unique among ACTIVE templates only
			expect(cloned.status).to.equal(1);
			await kaltura.services.eventNotificationTemplate.updateStatus(cloned.id, 2).execute(admin);
			const dup = await rejectionOf(
				kaltura.services.eventNotificationTemplate
					.cloneAction(src.id, new kaltura.objects.HttpNotificationTemplate({ systemName: 'BOT_ENTRY_STATUS' }))
					.execute(admin)
			);
			expect(dup.args).to.deep.equal({ NAME: 'BOT_ENTRY_STATUS' });
			const again = await rejectionOf(kaltura.services.eventNotificationTemplate.updateStatus(cloned.id, 2).execute(admin));
			expect(again).to.include({ code: 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME' });
			const wrongType = await rejectionOf(
				kaltura.services.eventNotificationTemplate
					.cloneAction(src.id, new kaltura.objects.EmailNotificationTemplate({ systemName: 'X' }))
					.execute(admin)
			);
			expect(wrongType.args).to.deep.equal({ ID: String(src.id), TYPE: 'httpNotification.Http' });

			const disabled = await kaltura.services.eventNotificationTemplate
				.updateStatus(cloned.id, kaltura.enums.EventNotificationTemplateStatus.DISABLED)
				.execute(admin);
			expect(disabled.status).to.equal(1);
			const active = await kaltura.services.eventNotificationTemplate.updateStatus(cloned.id, 2).execute(admin);
			expect(active.status).to.equal(2);
			const mine = await kaltura.services.eventNotificationTemplate
				.listAction(new kaltura.objects.EventNotificationTemplateFilter({ statusEqual: 2 }))
				.execute(admin);
			expect(mine.objects.map((t: { id: number }) => t.id)).to.deep.equal([cloned.id]);
			// keep the later tests quiet: this template points nowhere
			await kaltura.services.eventNotificationTemplate.updateStatus(cloned.id, 1).execute(admin);
		});
	});

	describe("wire formats besides kaltura-client's JSON POST", function () {
		it('GIVEN GET with path/query params, a form-encoded POST and no format THEN the same API answers (JSON / XML)', async function () {
			const ks = k.mintKs();
			const get = await fetch(`${k.serviceUrl}//api_v3/service/session/action/get/ks/${encodeURIComponent(ks)}?format=1`);
			expect(get.status).to.equal(200);
			expect(get.headers.get('content-type')).to.equal('application/json');
			expect(await get.json()).to.include({ objectType: 'KalturaSessionInfo', partnerId: PID });

			const form = await fetch(`${k.serviceUrl}/api_v3/service/media/action/list`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					ks,
					format: '1',
					'filter:objectType': 'KalturaMediaEntryFilter',
					'filter:nameLike': 'Birds',
					'pager:pageSize': '1'
				})
			});
			const list = (await form.json()) as { totalCount: number; objects: Array<{ name: string }> };
			expect(list.totalCount).to.equal(1);
			expect(list.objects[0]!.name).to.equal('Birds');

			const xml = await fetch(`${k.serviceUrl}/api_v3/index.php?service=media&action=get&entryId=0_none&ks=${encodeURIComponent(ks)}`);
			const text = await xml.text();
			expect(xml.status).to.equal(200);
			expect(text).to.contain('<code>ENTRY_ID_NOT_FOUND</code>');

			const mr = await fetch(`${k.serviceUrl}/api_v3/service/multirequest`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					ks,
					format: '1',
					'1:service': 'session',
					'1:action': 'get',
					'2:service': 'media',
					'2:action': 'get',
					'2:entryId': '{1:result:userId}'
				})
			});
			const arr = (await mr.json()) as Array<Record<string, unknown>>;
			expect(arr).to.have.length(2);
			expect(arr[1]).to.include({ code: 'ENTRY_ID_NOT_FOUND' });
			expect(arr[1]!.args).to.deep.equal({ ENTRY_ID: '' });
		});
	});

	describe('routing errors', function () {
		it('GIVEN an unknown service or action THEN SERVICE_DOES_NOT_EXISTS / ACTION_DOES_NOT_EXISTS', async function () {
			const svc = await rejectionOf(new kaltura.RequestBuilder('nosuchservice', 'list', {}).execute(admin));
			expect(svc).to.deep.equal({
				code: 'SERVICE_DOES_NOT_EXISTS',
				message: 'Service "nosuchservice" does not exists',
				objectType: 'KalturaAPIException',
				args: { SRV_NAME: 'nosuchservice' }
			});
			const act = await rejectionOf(new kaltura.RequestBuilder('media', 'explode', {}).execute(admin));
			expect(act.args).to.deep.equal({ ACTION_NAME: 'explode', SERVICE_NAME: 'media' });
		});
	});
});
