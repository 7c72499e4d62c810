// Package programme reads the YAML files the secretariat writes: a programme
// file (`bienal programme import FILE`) and a proposal file (`bienal activity
// propose FILE`). It parses and validates them and touches no database;
// store.ImportProgramme and store.ProposeActivity write what it returns.
//
// # Programme file
//
// One YAML document, a mapping with these fields (unknown fields are errors):
//
//	biennium: "2017-2018"        # required: two consecutive years
//	title: ...                   # required, at most 500 characters
//	rules:                       # optional: the committee's decision rule
//	  voting_days: 14            #   length of a review round, 1-365 (default 14)
//	  max_rounds: 3              #   rounds before a proposal is rejected, 1-20 (default 3)
//	  recuse_involved: true      #   recuse members whose country leads or takes part (default true)
//	goals:                       # required, at least one; numbers unique
//	  - {number: 1, title: ...}
//	lines_of_action:             # required, at least one; numbers unique
//	  - {number: 1, title: ...}
//	countries:                   # required, at least one; codes unique
//	  - {code: CL, name: Chile}  # ISO 3166 alpha-2, in capitals
//	focal_points:                # optional; one or more per country
//	  - {country: CL, name: ..., email: ..., language: es, time_zone: America/Santiago}
//	committee:                   # required: exactly one chair and at least one member; one seat per country
//	  - {role: chair, country: CR, name: ..., email: ..., language: es,
//	     time_zone: America/Costa_Rica, term_start: 2016-09-13, term_end: 2018-12-31,
//	     alternates: [{name: ..., email: ..., language: es, time_zone: ...}]}   # alternates optional
//	  - {role: member, ...}
//	secretariat:                 # optional
//	  - {name: ..., email: secretariat@example.org, language: en, time_zone: America/Santiago}
//	activities:                  # optional; codes unique
//	  - code: G1A1               # letters, digits, '.', '_', '-'; at most 32
//	    goal: 1                  # a number listed in goals
//	    line_of_action: 1        # a number listed in lines_of_action
//	    lead: AR                 # a code listed in countries
//	    participants: [CL, UY]   # optional: other countries listed in countries
//	    title: ...               # required, at most 500 characters
//	    description: ...         # optional
//	    expected_outputs: [...]  # optional list of texts
//	    starts_on: 2017-02-01    # required, YYYY-MM-DD, within the biennium
//	    ends_on: 2018-06-30      # required, within the biennium, not before starts_on
//	    status: approved         # optional: proposed (default) or approved
//	    proposed_by: focal.ar@example.org  # optional: a person of this file
//
// People: name (at most 200 characters), email (one plain address, stored in
// lower case), language (es, en, pt or fr) and time_zone (an IANA name such as
// America/Santiago) are all required. The same address may appear in several
// roles (a focal point who also sits on the committee) but always with the
// same name, language and time zone.
//
// A committee entry is a country's seat: name, email and the rest are its
// principal delegate's, alternates (optional) are others who may cast the
// seat's vote. A country has one seat; a person sits on one seat.
//
// The committee is valid with exactly one chair and at least one member. The
// Conference elects a Chair and six members (resolution 672(XXXIV)); the file
// accepts any number of members so that a vacancy does not block an import.
//
// Status: an activity without status is proposed and goes through the
// Executive Committee's review; status approved is for a programme the
// Conference already adopted, whose activities go straight into execution.
// A status is applied only when the activity is created: importing again
// never changes the status of an activity the workflows already hold.
//
// # Proposal file
//
// One activity in the same format as an item of activities, plus the
// biennium it is proposed for:
//
//	biennium: "2017-2018"
//	code: G1A4
//	goal: 1
//	...
//
// Its status, if given, must be proposed. Its code may be left out: the
// proposal is then given the next code of its goal, G<goal>P<n>, when it
// is stored. ParseActivity checks the file in itself; that the programme,
// goal, line of action, countries and proposer exist, and that the code is
// new, is checked against the database.
//
// # Errors
//
// Parse and ParseActivity report every problem at once, as Errors, one per
// line, each naming the line and the field (list indexes count from 0):
//
//	line 42: activities[3].lead: unknown country "XX" (not in countries)
//	line 16: committee[1].time_zone: unknown time zone "America/Atlantis" (expected an IANA name like America/Santiago)
package programme
