## Layout
skip-to-content = Skip to content
nav-label = Main menu
language = Language
theme = Theme
theme-auto = Auto
theme-light = Day
theme-dark = Night
sign-out = Sign out
footer-tagline = probation visit scheduling and tracking
role-administrator = Administrator
role-prosecutor = Prosecutor
role-supervisor = Supervisor
role-officer = Officer

## Navigation
nav-home = Home
nav-users = Users
nav-mobile-groups = Mobile groups
nav-districts = Districts
nav-contact-standards = Contact standards
nav-audit = Audit log
nav-registry = Registry
nav-reports = Reports
nav-today = Today

## Lists
pagination = Pages
showing = Showing
of = of
previous = Previous
next = Next
any = Any
apply = Apply
reset = Reset
sort-by = Sort by
sort-name = Name
sort-district = District
sort-tier = Risk tier
sort-updated = Last changed

## Errors
error-title = Something stopped here
back-home = Back to the home page
error-not-found = This page or record does not exist. Check the address, or find the record from the list.
error-forbidden = Your role may not open this page. Ask an administrator if you need it.
error-csrf = The form had expired or came from another site, so nothing was saved. Reload the page and try again.
error-internal = The server failed to answer. Nothing was changed; try again in a minute, and tell the administrator if it persists.
error-sign-in-required = Please sign in first.
error-method = This address does not accept that kind of request.
error-payload-too-large = What was sent is too large.
error-conflict = Someone else changed this record first. Reload it to see their change.
error-bad-request = The request was not understood. Go back and check what was entered.

## Sign-in
sign-in-title = Sign in
sign-in-lead = Baqylau keeps the registry of supervised persons and the checks of the mobile groups.
sign-in = Sign in
sign-in-failed = Wrong login or password.
sign-in-locked = Too many failed attempts: the account is locked.
sign-in-locked-until = Try again after { $time }.
signed-out = You have signed out.
session-expired = Your session has expired. Please sign in again.
field-login = Login
field-password = Password
password-too-short = The password must have at least 8 characters.

## Home
home-greeting = Hello, { $name }
home-lead-administrator = Manage who uses Baqylau and how: users, mobile groups, districts, contact standards, and the audit log.
home-lead-prosecutor = Keep the registry of supervised persons, plan the checks, and act on what they find.
home-lead-supervisor = See how well persons are covered by checks and how crime moves in the region.
home-lead-officer = Open today's route, drive it, and record each visit on the spot.
home-admin-users = Accounts, roles and locks
home-admin-groups = Crews, bases and shifts
home-admin-districts = Boundaries and population
home-admin-standards = How often each risk tier is checked
home-admin-audit = Who read or changed what
home-active-persons = Active persons
home-in-registry = in the registry
home-tier-high-hint = Checked most often
home-reports-hint = Coverage and crime by district
home-by-tier = Active by risk tier: high / medium / low
home-officer-hint = Route, stops and visits
persons-count = { $count ->
    [one] { $count } person
   *[other] { $count } persons
}

## Registry
registry-title = Registry of supervised persons
registry-search = Search
registry-search-hint = Name, IIN or address
registry-empty = No person matches these filters. Clear the search or choose "Any".
person-identity = Identity
person-places = Home and work
person-conviction = Conviction and supervision
person-access = Who opened or changed this record
person-access-empty = Nobody yet.
field-name = Name
field-iin = IIN
field-birth-date = Birth date
field-sex = Sex
field-phone = Phone
field-article = Article
field-severity = Severity
field-conviction-date = Conviction date
field-release-date = Release date
field-expungement-date = Record expunged on
field-prior-convictions = Prior convictions
field-supervision-kind = Supervision
field-supervision-start = Supervised since
field-restrictions = Restrictions
field-curfew = Curfew (at home)
field-risk-tier = Risk tier
field-risk-tier-reason = Reason for the tier override
field-status = Status
field-district = District
field-home-address = Home address
field-home-point = Home point (lat, lon)
field-employer = Employer
field-work-address = Work address
sex-male = Male
sex-female = Female
risk-tier-high = High
risk-tier-medium = Medium
risk-tier-low = Low
status-active = Active
status-moved_out = Moved out
status-in_custody = In custody
status-deceased = Deceased
status-expunged = Record expunged
status-wanted = Wanted
supervision-probation = Probation
supervision-administrative_supervision = Administrative supervision
supervision-parole = Parole
supervision-record_only = Record only
severity-especially_grave = Especially grave
severity-grave = Grave
severity-medium = Medium gravity
severity-minor = Minor
severity-misdemeanour = Criminal misdemeanour
iin-error-length = An IIN has exactly 12 digits.
iin-error-digits = An IIN has digits only.
iin-error-century = The 7th digit of an IIN (century and sex) must be 1 to 6.
iin-error-birth-date = The first six digits of the IIN are not a real birth date.
iin-error-check-digit = The IIN's check digit is wrong: check for a typo.

## Administration
users-empty = No users yet.
field-role = Role
field-mobile-group = Mobile group
user-active = Active
user-disabled = Disabled
user-locked-until = Locked until { $time }
groups-empty = No mobile groups yet.
field-base = Base
field-shift = Shift
field-capacity = Checks per shift
field-active-days = Working days
field-members = Members
day-mon = Mon
day-tue = Tue
day-wed = Wed
day-thu = Thu
day-fri = Fri
day-sat = Sat
day-sun = Sun
districts-empty = No districts yet.
field-code = Code
field-district-kind = Kind
field-population = Residents
field-vertices = Boundary points
district-kind-urban = Urban
district-kind-rural = Rural
standards-lead = The longest allowed interval, in days, between successful checks of a person.
standards-home-days = Home, days
standards-work-days = Work, days
audit-lead = Every sign-in, every read and every change of a person's record. Entries are never changed or deleted.
audit-empty = The log is empty.
audit-at = When
audit-action = Action
audit-record = Record
audit-ip = Address
audit-details = Details
audit-action-login = Signed in
audit-action-login_failed = Failed sign-in
audit-action-logout = Signed out
audit-action-read = Opened
audit-action-create = Created
audit-action-update = Changed
audit-action-denied = Refused

## Reports
report-overview-title = Supervised persons by district
report-overview-lead = Active supervised persons in each district, per 10,000 residents and by risk tier.
report-region-total = Region
report-per-10k = Per 10,000 residents
report-overview-note = Coverage by checks and crime trends appear here once checks and offences are recorded.

## Field
field-no-group = You are not in a mobile group yet. Ask an administrator to add you to one.
field-no-route = No route has been published for your group today.
