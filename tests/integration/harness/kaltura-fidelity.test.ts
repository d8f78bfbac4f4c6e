import { expect } from 'chai';
import { createKalturaClient, kaltura, KalturaStandIn } from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const PARTNER_ID = 3131;
const SERVICE = 'eventnotification_eventnotificationtemplate';

describe('Kaltura stand-in answers as kaltura/server does: template permissions, partner access, ACTION_BLOCKED', () => {
	let standIn: KalturaStandIn;

	before(async () => {
		standIn = await KalturaStandIn.start({ partnerId: PARTNER_ID });
	});

	after(async () => {
		await standIn?.stop();
	});

	afterEach(() => standIn.faults.clear());

	const clientWith = (ks: string) => {
		const client = createKalturaClient(standIn.serviceUrl);
		client.setKs(ks);
		return client as never;
	};
	const httpTemplate = (fields: Record<string, unknown>) =>
		new kaltura.objects.HttpNotificationTemplate!({
			name: 'Entry added',
			eventType: '2',
			eventObjectType: '1',
			url: 'https://bot.example/hook',
			...fields
		});

	it('GIVEN a partner’s own ADMIN session THEN eventNotificationTemplate.add is refused (permissions.ini gives it to partner -2 alone)', async () => {
		const refusal = await rejectionOf(
			kaltura.services.eventNotificationTemplate!.add!(httpTemplate({ systemName: 'MINE' })).execute(clientWith(standIn.mintKs()))
		);
		expect(refusal).to.deep.include({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: `${SERVICE}->add` } });
	});

	it('GIVEN the Admin Console THEN add saves an ACTIVE template in partner 0 (or in the partner it names), which the partner can list and clone', async () => {
		const added = (await kaltura.services.eventNotificationTemplate!.add!(httpTemplate({ systemName: 'FOR_EVERYONE' })).execute(
			clientWith(standIn.adminConsoleKs())
		)) as { id: number; partnerId: number; status: number };
		expect(added).to.include({ partnerId: 0, status: 2 });
		const client = createKalturaClient(standIn.serviceUrl);
		client.setKs(standIn.adminConsoleKs());
		client.setPartnerId(PARTNER_ID);
		const forPartner = (await kaltura.services.eventNotificationTemplate!.add!(httpTemplate({ systemName: 'FOR_ONE' })).execute(client)) as {
			partnerId: number;
		};
		expect(forPartner.partnerId).to.equal(PARTNER_ID);
		const offered = (await kaltura.services.eventNotificationTemplate!.listTemplates!().execute(clientWith(standIn.mintKs()))) as {
			objects: { systemName: string }[];
		};
		expect(offered.objects.map((template) => template.systemName)).to.include('FOR_EVERYONE');
	});

	it('GIVEN a partner’s clone or update that changes what a template listens to THEN Kaltura keeps the old value without an error (requiresPermission update)', async () => {
		const source = standIn.state.addTemplate(
			{ systemName: 'SOURCE', name: 'Source', type: 'httpNotification.Http', eventType: 2, eventObjectType: '1', status: 2 },
			undefined,
			0
		);
		const client = clientWith(standIn.mintKs());
		const copy = (await kaltura.services.eventNotificationTemplate!.cloneAction!(
			source.id as number,
			httpTemplate({ systemName: 'COPY', eventType: '3', eventObjectType: '2', name: 'Copy' })
		).execute(client)) as {
			id: number;
			name: string;
			eventType: number;
			eventObjectType: string;
		};
		expect(copy).to.include({ name: 'Copy', eventType: 2, eventObjectType: '1' });
		const updated = (await kaltura.services.eventNotificationTemplate!.update!(
			copy.id,
			new kaltura.objects.HttpNotificationTemplate!({ eventType: '5', url: 'https://bot.example/other' })
		).execute(client)) as { eventType: number; url: string };
		expect(updated).to.include({ eventType: 2, url: 'https://bot.example/other' });
	});

	it('GIVEN a partner’s KS naming another partner THEN SERVICE_FORBIDDEN as API v3 answers (not API v2’s PARTNER_ACCESS_FORBIDDEN)', async () => {
		const client = createKalturaClient(standIn.serviceUrl);
		client.setKs(standIn.mintKs());
		client.setPartnerId(PARTNER_ID + 1);
		const refusal = await rejectionOf(kaltura.services.media!.listAction!().execute(client as never));
		expect(refusal).to.deep.include({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'media->list' } });
	});

	it('GIVEN ACTION_BLOCKED on one call of a multirequest THEN that sub-result alone is the exception, naming its own action and service', async () => {
		standIn.faults.error('ACTION_BLOCKED', { match: { service: 'user', action: 'get' } });
		const client = clientWith(standIn.mintKs());
		const batch = kaltura.services.media!.listAction!().add(kaltura.services.user!.get!('nobody'));
		const results = (await batch.execute(client)) as Array<{ objectType?: string; code?: string; args?: unknown }>;
		expect(results[0]!.objectType).to.equal('KalturaMediaListResponse');
		expect(results[1]).to.deep.include({ code: 'ACTION_BLOCKED', args: { ACTION_NAME: 'get', SERVICE_NAME: 'user' } });
	});
});
