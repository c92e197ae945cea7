package pages

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// fileItem is one file of a files field.
type fileItem struct {
	key    int // names its DOM elements
	name   string
	size   int64
	sent   int64
	busy   bool              // being uploaded
	err    *state.Error      // refused or failed: not attached
	upload ticket.Attachment // stored (ID set)
	held   state.HeldFile    // kept in the browser until sent (ID set): the server could not be reached
}

// files is the attachments field of one flow (a draft, a reply): files
// picked or dropped, each uploaded once the user has confirmed, once per
// flow, that the files hold no protected health information, in the
// wording of the account's privacy regime. Until then (and after Cancel)
// no byte leaves the browser. Its owner renders it and passes its
// context; changed runs whenever the stored files or the confirmation
// change (to keep them with a draft).
type files struct {
	id        string // DOM id prefix
	items     []fileItem
	confirmed bool
	pending   []app.Value // files waiting for the confirmation
	asking    bool
	cleared   bool // files were dropped because the account changed
	seq       int
	changed   func(ctx app.Context)
	// problem: the field is in error; its message is the element
	// err-attachments (a draft's files field).
	problem bool

	// What the last render was for: event handlers read them (go-app keeps
	// the first handler of an element, so handlers must not capture).
	orgID  int64
	limits state.AttachmentLimits
	// owner is the owning component's context from its OnMount: uploads
	// report through it, since the element that started one (a button of
	// the dialog) may be gone when it ends.
	owner *app.Context
}

// restore takes a draft's stored and held files and its confirmation.
func (f *files) restore(stored []ticket.Attachment, held []state.HeldFile, confirmed bool) {
	f.items = f.items[:0]
	for _, a := range stored {
		f.seq++
		f.items = append(f.items, fileItem{key: f.seq, name: a.Name, size: a.Size, sent: a.Size, upload: a})
	}
	for _, h := range held {
		f.seq++
		f.items = append(f.items, fileItem{key: f.seq, name: h.Name, size: h.Size, held: h})
	}
	f.confirmed = confirmed
}

// held returns the files kept in the browser until the send.
func (f *files) held() []state.HeldFile {
	var out []state.HeldFile
	for _, it := range f.items {
		if it.held.ID != "" {
			out = append(out, it.held)
		}
	}
	return out
}

// attached counts the files that go with the send: uploaded or held.
func (f *files) attached() int { return len(f.stored()) + len(f.held()) }

// stored returns the files uploaded and not removed.
func (f *files) stored() []ticket.Attachment {
	var out []ticket.Attachment
	for _, it := range f.items {
		if it.upload.ID != "" {
			out = append(out, it.upload)
		}
	}
	return out
}

// ids returns the ids of the stored files, to send.
func (f *files) ids() []string {
	var out []string
	for _, a := range f.stored() {
		out = append(out, a.ID)
	}
	return out
}

// busy reports whether a file is still being uploaded.
func (f *files) busy() bool {
	for _, it := range f.items {
		if it.busy {
			return true
		}
	}
	return false
}

// clear forgets every file and the confirmation (a new account, a sent
// reply); notice says so to the user when files were dropped.
func (f *files) clear(ctx app.Context, notice bool) {
	f.cleared = notice && len(f.items) > 0
	f.items, f.pending, f.confirmed, f.asking = nil, nil, false, false
	if f.changed != nil {
		f.changed(ctx)
	}
}

func (f *files) item(key int) *fileItem {
	for i := range f.items {
		if f.items[i].key == key {
			return &f.items[i]
		}
	}
	return nil
}

// list returns the files of a FileList.
func fileList(v app.Value) []app.Value {
	var out []app.Value
	if v == nil || v.IsUndefined() || v.IsNull() {
		return nil
	}
	for i := 0; i < v.Length(); i++ {
		out = append(out, v.Index(i))
	}
	return out
}

// add takes picked or dropped files for the account: they wait for the
// confirmation the first time, then are uploaded.
func (f *files) add(ctx app.Context, picked []app.Value) {
	if len(picked) == 0 || f.orgID == 0 {
		return
	}
	f.cleared = false
	if !f.confirmed {
		f.pending = picked
		f.asking = true
		ctx.Defer(func(app.Context) { callElement(f.id+"-privacy", "showModal") })
		return
	}
	f.start(ctx, picked)
}

// callElement calls method m of the element with id, if it is there.
func callElement(id, m string, args ...any) {
	if el := app.Window().GetElementByID(id); el != nil && !el.IsNull() && !el.IsUndefined() {
		el.Call(m, args...)
	}
}

// start uploads files (checked here first, by name and size, as the server
// will check them).
func (f *files) start(ctx app.Context, picked []app.Value) {
	orgID, limits := f.orgID, f.limits
	if f.owner != nil {
		ctx = *f.owner
	}
	count := f.attached()
	for _, it := range f.items {
		if it.busy {
			count++
		}
	}
	for _, file := range picked {
		f.seq++
		it := fileItem{key: f.seq, name: file.Get("name").String(), size: int64(file.Get("size").Float())}
		switch {
		case count >= limits.MaxFiles:
			it.err = ticket.Errorf(ticket.CodeUnprocessable, "ErrTooManyFiles", "file")
		case !limits.Allows(it.name):
			it.err = ticket.Errorf(ticket.CodeUnsupported, "ErrFileType", "file")
		case it.size == 0:
			it.err = ticket.Errorf(ticket.CodeUnprocessable, "ErrFileEmpty", "file")
		case it.size > limits.MaxFileBytes:
			it.err = ticket.Errorf(ticket.CodeTooLarge, "ErrFileTooLarge", "file")
		default:
			it.busy = true
			count++
			key := it.key
			held := f.held()
			ctx.Async(func() {
				var a ticket.Attachment
				var h state.HeldFile
				err := state.ErrOffline
				if !state.Offline() {
					a, err = state.Upload(orgID, file, func(sent, total int64) {
						ctx.Dispatch(func(app.Context) {
							if it := f.item(key); it != nil {
								it.sent = sent
							}
						})
					})
				}
				if err == state.ErrOffline {
					// The server cannot be reached: the browser keeps the
					// file, uploaded when the ticket or reply is sent.
					h, err = state.HoldFile(state.CurrentSession(ctx), file, held)
				}
				ctx.Dispatch(func(ctx app.Context) {
					it := f.item(key)
					if it == nil {
						state.ForgetHeld(state.CurrentSession(ctx), []state.HeldFile{h})
						return // removed meanwhile: an upload stays, removed by the server after a day
					}
					it.busy, it.err, it.upload, it.held = false, err, a, h
					if err == nil && f.changed != nil {
						f.changed(ctx)
					}
				})
			})
		}
		f.items = append(f.items, it)
	}
}

func (f *files) onPick(ctx app.Context, e app.Event) {
	input := e.Get("target")
	picked := fileList(input.Get("files"))
	input.Set("value", "") // the same file may be picked again
	f.add(ctx, picked)
}

func (f *files) onDrop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f.add(ctx, fileList(e.Get("dataTransfer").Get("files")))
}

func (f *files) onConfirm(ctx app.Context, e app.Event) {
	callElement(f.id+"-privacy", "close")
	f.confirmed, f.asking = true, false
	pending := f.pending
	f.pending = nil
	f.start(ctx, pending)
	if f.changed != nil {
		f.changed(ctx)
	}
}

// onCancel drops the files waiting for the confirmation: nothing is sent.
// Escape cancels too (the dialog's cancel event).
func (f *files) onCancel(ctx app.Context, e app.Event) {
	e.PreventDefault()
	callElement(f.id+"-privacy", "close")
	f.pending, f.asking = nil, false
	ctx.Defer(func(app.Context) { callElement(f.id+"-input", "focus") })
}

func (f *files) onRemove(ctx app.Context, e app.Event) {
	key, _ := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("key").String())
	for i, it := range f.items {
		if it.key == key {
			f.items = append(f.items[:i:i], f.items[i+1:]...)
			if it.held.ID != "" {
				s, h := state.CurrentSession(ctx), it.held
				ctx.Async(func() { state.ForgetHeld(s, []state.HeldFile{h}) })
			}
			break
		}
	}
	if f.changed != nil {
		f.changed(ctx)
	}
	// The pressed button is gone with its file: the focus goes back to
	// the add button (deferred on the owner: go-app skips what is deferred
	// on a removed element).
	ui := ctx
	if f.owner != nil {
		ui = *f.owner
	}
	ui.Defer(func(app.Context) { callElement(f.id+"-input", "focus") })
}

// render shows the field: the add button (a labelled file input), the
// drop zone, the files with their progress, and the confirmation dialog.
// orgID 0 (no account chosen yet) disables adding.
func (f *files) render(lang, label string, orgID int64, regime ticket.PrivacyRegime, limits state.AttachmentLimits) app.UI {
	f.orgID, f.limits = orgID, limits
	hint := t(lang, "DropFilesHint", "Types", t(lang, "AllowedFileTypes"), "Size", locales.Size(lang, limits.MaxFileBytes), "Count", limits.MaxFiles)
	if orgID == 0 {
		hint = t(lang, "AttachmentsAccountFirst")
	}
	if regime == "" {
		regime = ticket.PrivacyGDPR
	}
	var names []string
	for _, p := range f.pending {
		names = append(names, p.Get("name").String())
	}
	return app.Div().ID(f.id).Class("files").
		OnDragOver(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
		OnDrop(f.onDrop).
		Body(
			app.Label().Class("button files-add").For(f.id+"-input").Body(
				app.Span().Class("clip-icon").Aria("hidden", "true"),
				app.Text(label),
			),
			app.Input().ID(f.id+"-input").Class("visually-hidden").Type("file").Multiple(true).
				Accept(strings.Join(limits.Extensions, ",")).Disabled(orgID == 0).
				Aria("describedby", f.describedBy()).Aria("invalid", ariaBool(f.problem)).
				OnChange(f.onPick),
			app.P().ID(f.id+"-hint").Class("muted small").Text(hint),
			app.If(f.cleared, func() app.UI {
				return app.P().ID(f.id + "-cleared").Class("field-error").Role("status").Text(t(lang, "FilesClearedAccount"))
			}),
			app.Ul().ID(f.id+"-list").Class("file-list").Aria("live", "polite").Body(
				app.Range(f.items).Slice(func(i int) app.UI { return f.renderItem(lang, f.items[i]) }),
			),
			app.Dialog().ID(f.id+"-privacy").Class("modal").Aria("labelledby", f.id+"-privacy-title").
				Aria("describedby", f.id+"-privacy-text").
				On("cancel", f.onCancel).Body(
				app.H2().ID(f.id+"-privacy-title").Text(t(lang, "PrivacyTitle")),
				app.P().ID(f.id+"-privacy-text").Text(t(lang, "PrivacyConfirm_"+string(regime))),
				app.If(len(names) > 0, func() app.UI {
					return app.P().Class("muted small").Text(t(lang, "PrivacyFiles", "Names", strings.Join(names, ", ")))
				}),
				app.Div().Class("actions").Body(
					app.Button().ID(f.id+"-privacy-cancel").Type("button").OnClick(f.onCancel).Text(t(lang, "Cancel")),
					app.Button().ID(f.id+"-privacy-confirm").Type("button").Class("primary").
						OnClick(f.onConfirm).Text(t(lang, "PrivacyConfirmButton")),
				),
			),
		)
}

// describedBy is what describes the file input: its hint, and the
// field's error while there is one.
func (f *files) describedBy() string {
	if f.problem {
		return f.id + "-hint err-attachments"
	}
	return f.id + "-hint"
}

func (f *files) renderItem(lang string, it fileItem) app.UI {
	key := strconv.Itoa(it.key)
	li := app.Li().ID(f.id + "-file-" + key).Class("file-item")
	var status app.UI
	switch {
	case it.err != nil:
		li = li.Class("failed")
		status = app.Span().Class("field-error").Role("alert").Text(t(lang, it.err.MessageID))
	case it.held.ID != "":
		status = app.Span().Class("muted small file-held").Text(t(lang, "FileHeldOffline"))
	case it.busy:
		status = app.Progress().Max(max(it.size, 1)).Value(min(it.sent, it.size)).
			Aria("label", t(lang, "UploadingFile", "Name", it.name))
	default:
		status = app.Span().Class("muted small").Text(t(lang, "FileUploaded"))
	}
	return li.Body(
		app.Span().Class("file-kind").Aria("hidden", "true").Text(fileKind(it.name)),
		app.Span().Class("file-name").Text(it.name),
		app.Span().Class("file-size muted small").Text(locales.Size(lang, it.size)),
		status,
		app.Button().Type("button").Class("link file-remove").DataSet("key", key).
			Aria("label", t(lang, "RemoveFile", "Name", it.name)).
			OnClick(f.onRemove).Text(t(lang, "RemoveButton")),
	)
}

// fileKind is the short name of a file's type, from its extension
// ("PDF"), shown as a small badge.
func fileKind(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || len(name)-i > 6 {
		return "FILE"
	}
	return strings.ToUpper(name[i+1:])
}

// attachmentLinks shows a ticket's or a message's files: pictures as
// thumbnails that open the picture, other files as a download with name,
// size and a type icon.
func attachmentLinks(lang, id string, as []ticket.Attachment) app.UI {
	if len(as) == 0 {
		return nil
	}
	return app.Ul().ID(id).Class("attachments").Aria("label", t(lang, "AttachmentsLabel")).Body(
		app.Range(as).Slice(func(i int) app.UI {
			a := as[i]
			href := "/api/v1/attachments/" + a.ID
			label := t(lang, "DownloadFile", "Name", a.Name, "Size", locales.Size(lang, a.Size))
			if isPicture(a.ContentType) {
				// The thumbnail opens the picture in a new tab; its name
				// and size below download it, as for any file. In a host's
				// frame a new tab would have no session (it lives in the
				// frame's partitioned cookie): the thumbnail downloads too.
				open := app.A().Class("picture-open").Href(href + "?inline=1").Target("_blank").Rel("noopener").
					Title(t(lang, "OpenPicture", "Name", a.Name, "Size", locales.Size(lang, a.Size)))
				if state.Embedded() {
					open = app.A().Class("picture-open").Href(href).Attr("download", a.Name).Title(label)
				}
				return app.Li().Class("attachment picture").Body(
					open.Body(
						app.Img().Src(href).Alt(a.Name).Attr("loading", "lazy").Class("thumbnail"),
					),
					app.A().Class("picture-download").Href(href).Attr("download", a.Name).Title(label).Body(
						app.Span().Class("file-name").Dir("auto").Text(a.Name),
						app.Span().Class("file-size muted small").Text(locales.Size(lang, a.Size)),
					),
				)
			}
			return app.Li().Class("attachment").Body(
				app.A().Href(href).Attr("download", a.Name).Title(label).Body(
					app.Span().Class("file-kind").Aria("hidden", "true").Text(fileKind(a.Name)),
					app.Span().Class("file-name").Dir("auto").Text(a.Name),
					app.Span().Class("file-size muted small").Text(locales.Size(lang, a.Size)),
				),
			)
		}),
	)
}

// isPicture reports whether files of contentType show as thumbnails.
func isPicture(contentType string) bool {
	switch contentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}
