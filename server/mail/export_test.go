package mail

import "github.com/supportal/supportal/server/store"

// CrashAfterSend makes w stop, as if it crashed, right after the mail
// server accepted a mail for which f returns true: before it is marked
// sent.
func (w *Worker) CrashAfterSend(f func(store.Mail) bool) { w.afterSend = f }
