package state

// What the app's tabs tell one another (tellTabs, listenTabs).
const (
	tabLogout = "logout" // the user logged out in this tab
	// tabPasswordChanged: the user changed their password in this tab,
	// which ended every session of theirs.
	tabPasswordChanged = "password"
	tabOutbox          = "outbox" // the outbox changed
	tabDraft           = "draft:" // the draft whose key follows changed (none: every draft was erased)
	tabLogin           = "login:" // the user whose id follows logged in
)
