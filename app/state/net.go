package state

import (
	"context"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// NetState says whether the server can be reached: every API call tells
// (a fetch that fails means no; any answer, even an error, means yes), so
// the app knows it even when navigator.onLine says online.
const NetState = "net"

// Net is whether the server can be reached.
type Net struct {
	Offline bool
	Since   time.Time // when it was last reached (Offline) or found back
}

// reach follows reachability for the app: ctx is the app's context (set
// by the first session load), offline whether the last call failed, probing
// whether a probe is running.
var reach struct {
	sync.Mutex
	ctx     app.Context
	set     bool // ctx is set
	offline bool
	probing bool
	last    time.Time // the server answered last then
}

// watchNet starts following reachability in ctx (once).
func watchNet(ctx app.Context) {
	reach.Lock()
	first := !reach.set
	reach.ctx, reach.set = ctx, true
	reach.Unlock()
	if first && app.IsClient {
		onNetEvents(func(online bool) {
			if online {
				go probe() // the browser says so: check now
			} else {
				reached(false)
			}
		}, func() { ctx.NewAction(FlushOutbox) })
	}
}

// reached records the outcome of a call to the server.
func reached(ok bool) {
	reach.Lock()
	ctx, set, was := reach.ctx, reach.set, reach.offline
	now := time.Now()
	if ok {
		reach.last = now
	}
	reach.offline = !ok
	startProbe := !ok && !reach.probing && set
	if startProbe {
		reach.probing = true
	}
	since := reach.last
	reach.Unlock()
	if startProbe {
		go probeUntilReached()
	}
	if !set || was == !ok {
		return
	}
	if ok {
		ctx.SetState(NetState, Net{Since: now})
		wakeLive()
		ctx.NewAction(FlushOutbox)
		ctx.Dispatch(retryFailed)
		if CurrentSession(ctx).Offline {
			ctx.NewAction(LoadSession) // the session shown from the browser's store: check it
		}
	} else {
		ctx.SetState(NetState, Net{Offline: true, Since: since})
	}
}

// Offline reports whether the last call found the server unreachable.
func Offline() bool {
	reach.Lock()
	defer reach.Unlock()
	return reach.offline
}

// probe asks the server whether it is there (any answer will do).
func probe() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, _, err := fetch(ctx, "GET", "/api/v1/me", nil, nil)
	reached(err == nil && status != 0)
}

// probeUntilReached probes with a growing pause while the server cannot
// be reached.
func probeUntilReached() {
	defer func() {
		reach.Lock()
		reach.probing = false
		reach.Unlock()
	}()
	for attempt := 1; Offline(); attempt++ {
		time.Sleep(min(time.Duration(attempt)*3*time.Second, 30*time.Second))
		if !Offline() {
			return
		}
		probe()
	}
}

// retryFailed loads again what the page on screen failed to load while the
// server could not be reached (a ticket, a list, a record opened offline):
// back online, it shows without a reload.
func retryFailed(ctx app.Context) {
	failed := func(l Load) bool { return l == Failed }
	reloadPages(ctx, failed, failed)
}
