-- A reporting cycle due on 31 May 2018 and a committee round closing on
-- 15 May 2018 (Santiago and Port-au-Prince time), for the reminder sweep.
INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Science, Innovation and ICT');
INSERT INTO goal VALUES ('2017-2018', 1, 'Digital economy');
INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Policies');
INSERT INTO country VALUES ('AR', 'Argentina'), ('CL', 'Chile'), ('BR', 'Brazil'), ('JM', 'Jamaica'),
	('HT', 'Haiti'), ('UY', 'Uruguay');
INSERT INTO person (email, name, language, time_zone, country) VALUES
	('ana@ar.example', 'Ana', 'es', 'America/Argentina/Buenos_Aires', 'AR'),
	('carlos@cl.example', 'Carlos', 'es', 'America/Santiago', 'CL'),
	('bruna@br.example', 'Bruna', 'pt', 'America/Sao_Paulo', 'BR'),
	('john@jm.example', 'John', 'en', 'America/Jamaica', 'JM'),
	('marie@ht.example', 'Marie', 'fr', 'America/Port-au-Prince', 'HT'),
	('luis@uy.example', 'Luis', 'es', 'America/Montevideo', 'UY');
INSERT INTO focal_point VALUES ('2017-2018', 'AR', 'ana@ar.example'), ('2017-2018', 'CL', 'carlos@cl.example'),
	('2017-2018', 'BR', 'bruna@br.example'), ('2017-2018', 'JM', 'john@jm.example');
INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status) VALUES
	('2017-2018', 'A1', 1, 1, 'AR', 'Regional digital agenda', 'in_execution'),
	('2017-2018', 'A2', 1, 1, 'AR', 'Broadband observatory', 'in_execution'),
	('2017-2018', 'A3', 1, 1, 'BR', 'Open science network', 'in_execution'),
	('2017-2018', 'A9', 1, 1, 'AR', 'Innovation fund', 'under_review');
INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status)
	VALUES ('2017-2018', 'final', '2018-05-31', '2018-07-31', 'open');
INSERT INTO report_task (biennium, cycle, code, country, due_on, status, created_at) VALUES
	('2017-2018', 'final', 'A1', 'AR', '2018-05-31', 'open', '2018-04-30T12:00:00Z'),
	('2017-2018', 'final', 'A2', 'AR', '2018-05-31', 'open', '2018-04-30T12:00:00Z'),
	('2017-2018', 'final', 'A1', 'CL', '2018-05-31', 'open', '2018-04-30T12:00:00Z'),
	('2017-2018', 'final', 'A3', 'BR', '2018-05-31', 'open', '2018-04-30T12:00:00Z'),
	('2017-2018', 'final', 'A3', 'JM', '2018-05-31', 'open', '2018-04-30T12:00:00Z');
-- Closes at 23:00 on 15 May in Santiago (after its change to winter time) and Port-au-Prince.
INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at)
	VALUES ('2017-2018', 'A9', 1, 1, '2018-05-01T12:00:00Z', '2018-05-16T03:00:00Z');
INSERT INTO committee_seat (biennium, country, role) VALUES
	('2017-2018', 'CL', 'member'), ('2017-2018', 'HT', 'chair'), ('2017-2018', 'UY', 'member'), ('2017-2018', 'AR', 'member');
INSERT INTO seat_delegate (biennium, country, email, kind) VALUES
	('2017-2018', 'CL', 'carlos@cl.example', 'principal'), ('2017-2018', 'HT', 'marie@ht.example', 'principal'),
	('2017-2018', 'UY', 'luis@uy.example', 'principal'), ('2017-2018', 'AR', 'ana@ar.example', 'principal');
INSERT INTO round_seat (biennium, code, round, country, role, recused) VALUES
	('2017-2018', 'A9', 1, 'CL', 'member', false),
	('2017-2018', 'A9', 1, 'HT', 'chair', false),
	('2017-2018', 'A9', 1, 'UY', 'member', false),
	('2017-2018', 'A9', 1, 'AR', 'member', true);
