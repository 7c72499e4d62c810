-- People change; seats do not. A committee seat belongs to a country, with
-- a principal delegate and any number of alternates; a review round's
-- roster holds seats, and a vote is the seat's, cast by whichever of its
-- delegates acted. Workflows name people by an opaque ID, never by address.

-- A stable, opaque ID per person: what workflow payloads and state carry.
ALTER TABLE person ADD COLUMN id text;
UPDATE person SET id = 'p-' || substr(md5(email || random()::text || clock_timestamp()::text), 1, 20);
ALTER TABLE person ALTER COLUMN id SET NOT NULL,
    ALTER COLUMN id SET DEFAULT ('p-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)),
    ADD CONSTRAINT person_id_key UNIQUE (id),
    ADD CONSTRAINT person_id_check CHECK (id ~ '^p-[0-9a-f]{20}$');

-- The day a focal point took up the role, when a replacement said so.
ALTER TABLE focal_point ADD COLUMN since date;

-- A country the secretariat deactivated gets no new focal point, seat or activity.
ALTER TABLE country ADD COLUMN active boolean NOT NULL DEFAULT true;

CREATE TABLE committee_seat (
    biennium   text NOT NULL REFERENCES programme ON DELETE CASCADE,
    country    text NOT NULL REFERENCES country,
    role       text NOT NULL CHECK (role IN ('chair', 'member')),
    term_start date,
    term_end   date,
    PRIMARY KEY (biennium, country),
    CHECK (term_end IS NULL OR term_start IS NULL OR term_end >= term_start)
);
CREATE UNIQUE INDEX committee_seat_one_chair ON committee_seat (biennium) WHERE role = 'chair';

-- Who speaks for a seat: one principal, any alternates. A person holds at
-- most one seat per biennium.
CREATE TABLE seat_delegate (
    biennium text NOT NULL,
    country  text NOT NULL,
    email    text NOT NULL REFERENCES person,
    kind     text NOT NULL CHECK (kind IN ('principal', 'alternate')),
    since    date,
    PRIMARY KEY (biennium, country, email),
    FOREIGN KEY (biennium, country) REFERENCES committee_seat ON DELETE CASCADE
);
CREATE UNIQUE INDEX seat_one_principal ON seat_delegate (biennium, country) WHERE kind = 'principal';
CREATE UNIQUE INDEX seat_delegate_once ON seat_delegate (biennium, email);

-- Every member becomes the delegate of their country's seat: the first of a
-- country (the Chair, else by address) its principal, any other an alternate.
INSERT INTO committee_seat (biennium, country, role, term_start, term_end)
SELECT DISTINCT ON (biennium, country) biennium, country, role, term_start, term_end
FROM committee_member ORDER BY biennium, country, role = 'chair' DESC, email;
INSERT INTO seat_delegate (biennium, country, email, kind)
SELECT biennium, country, email,
    CASE WHEN row_number() OVER (PARTITION BY biennium, country ORDER BY role = 'chair' DESC, email) = 1
        THEN 'principal' ELSE 'alternate' END
FROM committee_member;

-- A round's roster: the seats it started with.
CREATE TABLE round_seat (
    biennium  text NOT NULL,
    code      text NOT NULL,
    round     integer NOT NULL,
    country   text NOT NULL REFERENCES country,
    role      text NOT NULL CHECK (role IN ('chair', 'member')),
    recused   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (biennium, code, round, country),
    FOREIGN KEY (biennium, code, round) REFERENCES review_round ON DELETE CASCADE
);
-- A roster entry's country is its member's seat, else the member's own
-- country; an entry with neither names no country and cannot be a seat.
INSERT INTO round_seat (biennium, code, round, country, role, recused)
SELECT DISTINCT ON (m.biennium, m.code, m.round, c.country) m.biennium, m.code, m.round, c.country, m.role, m.recused
FROM round_member m
JOIN LATERAL (SELECT COALESCE((SELECT cm.country FROM committee_member cm
        WHERE cm.biennium = m.biennium AND cm.email = m.email),
    (SELECT p.country FROM person p WHERE p.email = m.email)) AS country) c ON c.country IS NOT NULL
ORDER BY m.biennium, m.code, m.round, c.country, m.role = 'chair' DESC, m.recused;

-- A vote is the seat's; member is who cast it. Of two votes of one seat in
-- one round (two members of one country before seats), the later counts.
ALTER TABLE vote ADD COLUMN seat text;
UPDATE vote v SET seat = COALESCE((SELECT cm.country FROM committee_member cm
        WHERE cm.biennium = v.biennium AND cm.email = v.member),
    (SELECT p.country FROM person p WHERE p.email = v.member));
DELETE FROM vote v WHERE v.seat IS NULL OR NOT EXISTS (SELECT 1 FROM round_seat s
    WHERE s.biennium = v.biennium AND s.code = v.code AND s.round = v.round AND s.country = v.seat);
DELETE FROM vote a USING vote b
WHERE a.biennium = b.biennium AND a.code = b.code AND a.round = b.round AND a.seat = b.seat
    AND a.casting = b.casting AND (a.cast_at, a.member) < (b.cast_at, b.member);
ALTER TABLE vote DROP CONSTRAINT vote_pkey,
    DROP CONSTRAINT vote_biennium_code_round_member_fkey,
    ALTER COLUMN seat SET NOT NULL,
    ADD PRIMARY KEY (biennium, code, round, seat, casting),
    ADD FOREIGN KEY (biennium, code, round, seat) REFERENCES round_seat ON DELETE CASCADE;

DROP TABLE round_member;
DROP TABLE committee_member;

-- committee_member stays readable, and writable by INSERT, for the scripts
-- and fixtures written against it: a row is a seat with its principal (an
-- alternate when the seat has a principal already; a delegate it has
-- already changes nothing).
CREATE VIEW committee_member AS
SELECT s.biennium, d.email, s.country, s.role, s.term_start, s.term_end
FROM committee_seat s JOIN seat_delegate d USING (biennium, country)
WHERE d.kind = 'principal';

CREATE FUNCTION committee_member_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO committee_seat (biennium, country, role, term_start, term_end)
    VALUES (NEW.biennium, NEW.country, NEW.role, NEW.term_start, NEW.term_end)
    ON CONFLICT (biennium, country) DO NOTHING;
    INSERT INTO seat_delegate (biennium, country, email, kind)
    VALUES (NEW.biennium, NEW.country, NEW.email,
        CASE WHEN EXISTS (SELECT 1 FROM seat_delegate d WHERE d.biennium = NEW.biennium
            AND d.country = NEW.country AND d.kind = 'principal') THEN 'alternate' ELSE 'principal' END)
    ON CONFLICT (biennium, country, email) DO NOTHING;
    RETURN NEW;
END $$;
CREATE TRIGGER committee_member_insert INSTEAD OF INSERT ON committee_member
    FOR EACH ROW EXECUTE FUNCTION committee_member_insert();

-- Why a link stopped working, for the page its holder then sees:
-- 'secretariat' (revoked by hand), 'replaced' (its holder was replaced in
-- their role) or 'closed' (the item it opened was decided or closed).
-- Links revoked before this migration keep no cause.
ALTER TABLE link ADD COLUMN revoked_cause text
    CHECK (revoked_cause IN ('secretariat', 'replaced', 'closed'));
