"""The hand-written part of the demo organisation: people, goals, key results, tasks."""

from __future__ import annotations

from typing import TypedDict

COMPANY = "Northwind Outfitters"

TEAMS = ("Product", "Engineering", "Marketing", "Sales")

# handle, name, role, manager handle, team
PEOPLE = (
    ("maria", "Maria Santos", "admin", None, None),
    ("priya", "Priya Nair", "manager", "maria", "Product"),
    ("devon", "Devon Price", "manager", "maria", "Engineering"),
    ("lena", "Lena Fischer", "manager", "maria", "Marketing"),
    ("omar", "Omar Haddad", "manager", "maria", "Sales"),
    ("li", "Li Wei", "member", "priya", "Product"),
    ("jonas", "Jonas Berg", "member", "devon", "Engineering"),
    ("kim", "Kim Tanaka", "member", "devon", "Engineering"),
    ("samir", "Samir Khan", "member", "devon", "Engineering"),
    ("ana", "Ana Ruiz", "member", "lena", "Marketing"),
    ("zoe", "Zoë Martin", "member", "lena", "Marketing"),
    ("tomas", "Tomás Silva", "member", "omar", "Sales"),
)


class GoalSpec(TypedDict):
    """A goal: key, parent key, level, title, owner, team, description, key results
    (title, kind, baseline, target, reached share, unit), milestones (title, due offset
    in days from today, done), tasks (title, objective)."""

    key: str
    parent: str | None
    level: str
    owner: str
    team: str | None
    title: str
    description: str
    krs: tuple[tuple[str, str, float, float, float, str], ...]
    milestones: tuple[tuple[str, int, bool], ...]
    tasks: tuple[tuple[str, str], ...]


GOALS: tuple[GoalSpec, ...] = (
    {
        "key": "revenue",
        "parent": None,
        "level": "company",
        "owner": "maria",
        "team": None,
        "title": "Grow recurring revenue to €2.4M ARR",
        "description": "Reach €2.4M annual recurring revenue by the end of the quarter, "
        "with more of it coming from customers who stay and expand.",
        "krs": (
            ("Annual recurring revenue", "currency", 1_800_000, 2_400_000, 0.55, "EUR"),
            ("Net revenue retention", "percent", 98, 110, 0.4, "%"),
        ),
        "milestones": (),
        "tasks": (
            (
                "Share the quarterly revenue plan with all teams",
                "Everyone knows the target and their part in it.",
            ),
            (
                "Review the discount policy with finance",
                "Discounts follow one rule everyone knows.",
            ),
        ),
    },
    {
        "key": "sales-accounts",
        "parent": "revenue",
        "level": "team",
        "owner": "omar",
        "team": "Sales",
        "title": "Close 40 new mid-market accounts",
        "description": "Mid-market accounts (50–500 seats) convert best; focus the pipeline there.",
        "krs": (
            ("New mid-market accounts closed", "count", 0, 40, 0.45, "accounts"),
            ("Average sales cycle", "numeric", 45, 30, 0.3, "days"),
        ),
        "milestones": (
            ("Pipeline review with leadership", -10, True),
            ("Q4 pricing approved", -2, False),  # late: the proposal is still open
        ),
        "tasks": (
            ("Qualify the 30 open inbound leads", "Every lead has a next step and an owner."),
            (
                "Prepare the Q4 pricing proposal",
                "A pricing sheet leadership can approve in one meeting.",
            ),
            ("Follow up with the Acme procurement team", "Unblock the signature on the Acme deal."),
            ("Update CRM stages to match the new funnel", "Reports show where deals stall."),
            (
                "Record a product demo for async buyers",
                "Prospects can watch a 10-minute demo any time.",
            ),
            ("Run a win/loss review of Q3 deals", "Know why we lose and fix the top reason."),
        ),
    },
    {
        "key": "outbound",
        "parent": "sales-accounts",
        "level": "individual",
        "owner": "tomas",
        "team": "Sales",
        "title": "Build a repeatable outbound playbook",
        "description": "A sequence any new rep can run from day one.",
        "krs": (("Qualified meetings booked", "count", 0, 60, 0.5, "meetings"),),
        "milestones": (),
        "tasks": (
            ("Write the five-step outbound email sequence", "A tested sequence with reply rates."),
            ("Build a target list of 200 mid-market accounts", "Accounts scored by fit."),
            ("Book 15 discovery calls", "Calls on the calendar for the next two weeks."),
            ("Document objection handling", "Answers to the ten most common objections."),
            ("Shadow two senior reps on calls", "Learn what works before scaling it."),
        ),
    },
    {
        "key": "campaign",
        "parent": "revenue",
        "level": "team",
        "owner": "lena",
        "team": "Marketing",
        "title": "Launch the winter campaign",
        "description": "One campaign across email, web and events that fills the sales pipeline.",
        "krs": (("Marketing-qualified leads", "count", 200, 800, 0.35, "leads"),),
        "milestones": (("Campaign brief signed off", -20, True), ("Campaign live", 19, False)),
        "tasks": (
            ("Draft the launch email", "An email that gets a 30% open rate."),
            ("Brief the design agency", "Agency has the brief, brand assets and deadline."),
            ("Book the December webinar slot", "Date, speakers and landing page agreed."),
            ("Set up campaign tracking in analytics", "Every channel's leads are attributed."),
            ("Write three customer case studies", "Case studies approved by the customers."),
            ("Plan the paid social budget", "Budget split by channel with expected leads."),
            (
                "Order booth materials for the trade fair",
                "Banners and leaflets arrive a week early.",
            ),
            (
                "Translate the landing page into German",
                "German visitors read it in their language.",
            ),
        ),
    },
    {
        "key": "webinars",
        "parent": "campaign",
        "level": "individual",
        "owner": "ana",
        "team": "Marketing",
        "title": "Double webinar signups",
        "description": "Webinars are our best-converting channel; grow their reach.",
        "krs": (("Webinar signups per month", "count", 150, 300, 0.6, "signups"),),
        "milestones": (),
        "tasks": (
            ("Line up a customer speaker for December", "A confirmed guest speaker."),
            ("Redesign the webinar landing page", "A page that converts above 25%."),
            (
                "Send the webinar invite to the partner list",
                "Partners share it with their customers.",
            ),
            ("Cut the recording into five short clips", "Clips ready for social posts."),
        ),
    },
    {
        "key": "brand-site",
        "parent": "campaign",
        "level": "individual",
        "owner": "zoe",
        "team": "Marketing",
        "title": "Refresh the brand site",
        "description": "A faster, clearer site that keeps visitors reading.",
        "krs": (("Homepage bounce rate", "percent", 62, 45, 0.5, "%"),),
        "milestones": (),
        "tasks": (
            (
                "Rewrite the homepage headline and intro",
                "Visitors understand the product in five seconds.",
            ),
            ("Compress and lazy-load hero images", "Largest contentful paint under 2 s."),
            ("Add customer logos to the pricing page", "Social proof where buyers decide."),
            ("Fix broken links found by the crawler", "Zero broken links."),
        ),
    },
    {
        "key": "product",
        "parent": None,
        "level": "company",
        "owner": "maria",
        "team": None,
        "title": "Ship a product customers love",
        "description": "Customers recommend us because the product saves them time every week.",
        "krs": (
            ("Net promoter score", "numeric", 31, 45, 0.35, "points"),
            ("Weekly active teams", "count", 1200, 2000, 0.5, "teams"),
        ),
        "milestones": (),
        "tasks": (),
    },
    {
        "key": "onboarding",
        "parent": "product",
        "level": "team",
        "owner": "priya",
        "team": "Product",
        "title": "Redesign onboarding",
        "description": "New teams reach their first success in the first session.",
        "krs": (("Activation rate in week one", "percent", 35, 55, 0.45, "%"),),
        "milestones": (("Onboarding beta with 10 customers", 5, False),),
        "tasks": (
            ("Map the current onboarding funnel", "Know where new teams drop out."),
            ("Prototype the guided first-project flow", "A clickable prototype to test."),
            ("Write the empty-state copy", "Every empty screen says what to do next."),
            ("Recruit ten beta customers", "Ten signed-up teams for the beta."),
            ("Define the activation metric with data", "One agreed definition of activated."),
            ("Add an in-app checklist for new teams", "New teams see the next step."),
            ("Review onboarding emails with support", "Emails answer the questions support gets."),
        ),
    },
    {
        "key": "interviews",
        "parent": "onboarding",
        "level": "individual",
        "owner": "li",
        "team": "Product",
        "title": "Run 20 customer interviews",
        "description": "Hear from new and churned customers before we build.",
        "krs": (("Interviews done", "count", 0, 20, 0.55, "interviews"),),
        "milestones": (),
        "tasks": (
            ("Write the interview guide", "Questions reviewed by design and sales."),
            ("Schedule interviews with churned customers", "Five churned customers booked."),
            ("Synthesise findings into themes", "A one-page summary of the top themes."),
            ("Share interview highlights at the all-hands", "Everyone hears the customer's voice."),
            (
                "Tag interview notes in the research repository",
                "Anyone can find what customers said.",
            ),
        ),
    },
    {
        "key": "reliability",
        "parent": "product",
        "level": "team",
        "owner": "devon",
        "team": "Engineering",
        "title": "Make the app fast and reliable",
        "description": "Speed and uptime are features: customers notice both.",
        "krs": (
            ("p95 API latency", "numeric", 900, 300, 0.4, "ms"),
            ("Monthly uptime", "percent", 99.5, 99.9, 0.8, "%"),
        ),
        "milestones": (("Load test of the new API gateway", -3, False),),
        "tasks": (
            ("Add tracing to the search endpoint", "See where search time goes."),
            ("Set up an on-call rotation", "Every alert reaches a named person."),
            ("Write the incident review template", "Reviews find causes, not culprits."),
            ("Upgrade the database to the new major version", "Supported version, no downtime."),
            ("Load-test the API gateway", "Know the breaking point before customers do."),
            (
                "Document the disaster recovery runbook",
                "Restore service from backup in under an hour.",
            ),
            ("Rotate the expiring TLS certificates", "No certificate expires unnoticed."),
        ),
    },
    {
        "key": "latency",
        "parent": "reliability",
        "level": "individual",
        "owner": "jonas",
        "team": "Engineering",
        "title": "Cut p95 API latency",
        "description": "Find and remove the slowest paths of the API.",
        "krs": (("p95 latency of /search", "numeric", 1200, 400, 0.45, "ms"),),
        "milestones": (),
        "tasks": (
            ("Profile the ten slowest endpoints", "A ranked list with causes."),
            ("Add an index for the project search query", "Search under 200 ms."),
            ("Cache the permissions lookup", "One lookup per request instead of twelve."),
            ("Remove the N+1 query in the activity feed", "The feed loads in one query."),
        ),
    },
    {
        "key": "releases",
        "parent": "reliability",
        "level": "individual",
        "owner": "kim",
        "team": "Engineering",
        "title": "Automate the release pipeline",
        "description": "Releasing should be boring: one click, any day.",
        "krs": (("Release in one click", "binary", 0, 1, 0.0, ""),),
        "milestones": (),
        "tasks": (
            ("Move the build to the shared CI runners", "Builds under ten minutes."),
            ("Add automatic rollback on failed health checks", "A bad release undoes itself."),
            ("Write the release checklist", "Anyone on the team can release."),
            ("Sign release artefacts", "Every artefact is verifiable."),
        ),
    },
    {
        "key": "bugs",
        "parent": "reliability",
        "level": "individual",
        "owner": "samir",
        "team": "Engineering",
        "title": "Reduce the open bug count",
        "description": "Fewer bugs, fixed faster, starting with what customers hit most.",
        "krs": (("Open bugs", "count", 140, 40, 0.5, "bugs"),),
        "milestones": (),
        "tasks": (
            ("Triage the bug backlog by customer impact", "Every bug has a severity."),
            ("Fix the CSV export encoding bug", "Exports open correctly in spreadsheets."),
            ("Close bugs older than a year", "The backlog shows only live problems."),
            ("Add a regression test for the login redirect", "The bug cannot come back."),
        ),
    },
    {
        "key": "people",
        "parent": None,
        "level": "company",
        "owner": "maria",
        "team": None,
        "title": "Build a team people want to join",
        "description": "Hire well, grow people, and keep the ones we have.",
        "krs": (
            ("Employee NPS", "numeric", 12, 30, 0.3, "points"),
            ("Regretted attrition", "percent", 6, 5, 1.0, "%"),
        ),
        "milestones": (),
        "tasks": (
            ("Run the engagement survey", "Every team gets its results."),
            ("Publish the career ladder", "Everyone knows what the next level means."),
        ),
    },
    {
        "key": "hiring",
        "parent": "people",
        "level": "team",
        "owner": "devon",
        "team": "Engineering",
        "title": "Hire six engineers",
        "description": "Grow the engineering team without lowering the bar.",
        "krs": (("Engineers hired", "count", 0, 6, 0.35, "hires"),),
        "milestones": (),
        "tasks": (
            ("Rewrite the backend engineer job post", "A post that says what the work is."),
            ("Train four interviewers", "Interviews are consistent and fair."),
            ("Set up a take-home exercise", "A short exercise with a scoring guide."),
            ("Post the job ads on two developer boards", "More applicants from the right places."),
            ("Plan onboarding for the first two hires", "New engineers ship in their first week."),
        ),
    },
    {
        "key": "mentoring",
        "parent": "people",
        "level": "team",
        "owner": "priya",
        "team": "Product",
        "title": "Start a mentoring programme",
        "description": "Pair every new hire with a mentor outside their team.",
        "krs": (),  # measured by its plan: no number to move yet
        "milestones": (
            ("Mentors found for every team", -12, True),
            ("First pairs matched", -1, True),
            ("Programme reviewed with new hires", 20, False),
        ),
        "tasks": (),
    },
)

# Goals of the closed cycle: title, owner, team, level, parent index or None.
PAST_GOALS = (
    ("Reach €1.8M ARR", "maria", None, "company", None, (1_500_000, 1_800_000, 1.0, "EUR")),
    ("Launch the self-serve plan", "priya", "Product", "team", 0, (0, 1, 1.0, "")),
    ("Move hosting to the new region", "devon", "Engineering", "team", 0, (0, 100, 0.8, "%")),
    (
        "Grow the newsletter to 10k readers",
        "lena",
        "Marketing",
        "team",
        0,
        (4_000, 10_000, 0.7, "readers"),
    ),
)
PAST_TASKS = (
    "Write the self-serve pricing page",
    "Migrate the billing service",
    "Announce the new region",
    "Plan the newsletter editorial calendar",
    "Set up payment provider webhooks",
    "Run the region cut-over rehearsal",
    "Interview five self-serve customers",
    "Publish the Q3 results summary",
    "Retire the old signup form",
    "Review the Q3 budget",
)

CHECK_IN_NOTES = (
    "Steady week; on plan.",
    "Slower than hoped: two deals slipped to next month.",
    "Good jump after the launch.",
    "Data now comes from the new dashboard.",
    "Holiday week, little movement.",
    "Back on track after the fix shipped.",
    "",
)

REVIEW_TEXT = {
    "strengths": (
        "Takes ownership of hard problems and follows through.",
        "Clear writer; keeps everyone informed without being asked.",
        "Customers trust them; great at turning feedback into action.",
    ),
    "improvements": (
        "Delegate more instead of picking up every task.",
        "Raise risks earlier rather than at the deadline.",
        "Set clearer priorities for the week.",
    ),
}

# Words for the generated part of large demo organisations.
GEN_VERBS = (
    "Improve",
    "Launch",
    "Reduce",
    "Grow",
    "Automate",
    "Redesign",
    "Simplify",
    "Expand",
    "Stabilise",
    "Measure",
)
GEN_THINGS = (
    "checkout conversion",
    "partner channel",
    "support response time",
    "trial activation",
    "mobile retention",
    "data pipeline",
    "billing accuracy",
    "search relevance",
    "onboarding emails",
    "API reliability",
    "customer health scores",
    "release cadence",
    "documentation",
    "renewal rate",
    "invoice workflow",
    "sales enablement",
)
GEN_TASK_VERBS = (
    "Draft",
    "Review",
    "Ship",
    "Test",
    "Plan",
    "Fix",
    "Document",
    "Measure",
    "Design",
    "Migrate",
    "Clean up",
    "Prepare",
)
GEN_TASK_THINGS = (
    "the rollout plan",
    "the dashboard",
    "the weekly report",
    "the import script",
    "the pricing copy",
    "the alert rules",
    "the interview notes",
    "the API client",
    "the customer email",
    "the roadmap slide",
    "the test suite",
    "the FAQ page",
    "the budget sheet",
    "the design spec",
    "the onboarding checklist",
    "the backlog",
)
GEN_FIRST = (
    "Alex",
    "Sam",
    "Noa",
    "Ravi",
    "Mina",
    "Lucas",
    "Ines",
    "Yuki",
    "Omar",
    "Sofia",
    "Ben",
    "Lea",
    "Hugo",
    "Amara",
    "Ivan",
    "Chen",
    "Elif",
    "Marco",
    "Nia",
    "Pablo",
)
GEN_LAST = (
    "Novak",
    "Okafor",
    "Larsen",
    "Moreau",
    "Costa",
    "Ishikawa",
    "Weber",
    "Haddad",
    "Rossi",
    "Kowalski",
    "Ahmed",
    "Lindqvist",
    "Murphy",
    "Silva",
    "Dubois",
    "Kim",
    "Bauer",
    "Nguyen",
)
GEN_TEAMS = (
    "Growth",
    "Platform",
    "Support",
    "Data",
    "Partnerships",
    "Design",
    "Finance",
    "Security",
    "Mobile",
    "Operations",
    "Research",
    "Customer Success",
)
