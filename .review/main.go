// Throwaway QA driver. Not committed.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const focusDesc = `(() => { const e = document.activeElement; if (!e) return 'none';
 const cs = getComputedStyle(e);
 let d = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className==='string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
 let txt = (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 50).replace(/\n/g,' ');
 return d + ' "' + txt + '" outline=' + cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor + ' shadow=' + cs.boxShadow; })()`

const a11y = `(() => { const out = [];
 out.push('lang=' + document.documentElement.lang + ' title=' + document.title);
 document.querySelectorAll('h1,h2,h3,h4,h5,h6').forEach(h => out.push(h.tagName + ': ' + h.innerText.replace(/\n/g,' ')));
 document.querySelectorAll('header,nav,main,aside,footer,section[aria-label],section[aria-labelledby],[role]').forEach(l => out.push('landmark/role ' + l.tagName.toLowerCase() + (l.getAttribute('role')?'[role='+l.getAttribute('role')+']':'') + ' label=' + (l.getAttribute('aria-label')||l.getAttribute('aria-labelledby')||'')));
 document.querySelectorAll('input,select,button,textarea').forEach(c => { let lab = c.labels && c.labels.length ? [...c.labels].map(l=>l.innerText.replace(/\n/g,' ')).join('|') : ''; out.push('control ' + c.tagName.toLowerCase() + '#' + c.id + ' label=' + lab + ' aria-label=' + (c.getAttribute('aria-label')||'') + ' text=' + (c.innerText||'').replace(/\n/g,' ').slice(0,40) + ' attrs=' + [...c.attributes].filter(a=>a.name.startsWith('aria')).map(a=>a.name+'='+a.value).join(',')); });
 document.querySelectorAll('[aria-hidden],[aria-live],[aria-current]').forEach(e => out.push('aria ' + e.tagName.toLowerCase() + '.' + e.className + ' ' + [...e.attributes].filter(a=>a.name.startsWith('aria')).map(a=>a.name+'='+a.value).join(',')));
 const ids = {}; document.querySelectorAll('[id]').forEach(e => { ids[e.id] = (ids[e.id]||0)+1 }); Object.entries(ids).filter(([k,v])=>v>1).forEach(([k,v])=>out.push('DUPLICATE id ' + k + ' x' + v));
 document.querySelectorAll('[aria-controls],[aria-labelledby],[aria-describedby]').forEach(e => ['aria-controls','aria-labelledby','aria-describedby'].forEach(a => { const v = e.getAttribute(a); if (v) v.split(/\s+/).forEach(id => { if (!document.getElementById(id)) out.push('DANGLING ' + a + '=' + id + ' on ' + e.tagName.toLowerCase() + '#' + e.id); }); }));
 return out.join('\n'); })()`

const overflow = `(() => { const out = []; const W = document.documentElement.clientWidth;
 out.push('docScrollWidth=' + document.documentElement.scrollWidth + ' clientWidth=' + W);
 document.querySelectorAll('body *').forEach(e => { const r = e.getBoundingClientRect(); if (r.width > 0 && (r.right > W + 1 || r.left < -1)) out.push('beyond viewport: ' + e.tagName.toLowerCase() + (e.id?'#'+e.id:'') + '.' + (typeof e.className==='string'?e.className:'') + ' left=' + Math.round(r.left) + ' right=' + Math.round(r.right)); 
   if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible' && e.clientWidth>0) out.push('clipped/scrollable x: ' + e.tagName.toLowerCase() + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth); });
 return out.slice(0, 40).join('\n'); })()`

func main() {
	base := os.Getenv("BASE")
	if base == "" {
		base = "http://127.0.0.1:8090"
	}
	lang := os.Getenv("ACCEPT")
	if lang == "" {
		lang = "en-US"
	}
	out := os.Getenv("OUT")
	if out == "" {
		out = "/tmp/review/shot"
	}
	dir, _ := os.MkdirTemp("", "shot")
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.Flag("disable-quic", true),
		chromedp.Flag("accept-lang", lang), chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 860))
	if tz := os.Getenv("BTZ"); tz != "" {
		opts = append(opts, chromedp.Env("TZ="+tz))
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 180*time.Second)
	defer cancel3()
	if err := chromedp.Do(ctx); err != nil {
		fmt.Println("start:", err)
		os.Exit(1)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			fmt.Printf("CONSOLE %s\n", m.String())
		}
	}()
	ev := func(js string) string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			return "ERR " + err.Error()
		}
		return fmt.Sprint(v)
	}
	wait := func() {
		c, cc := context.WithTimeout(ctx, 60*time.Second)
		defer cc()
		if err := chromedp.Do(c, chromedp.WaitNotPresent("#app-wasm-loader"), chromedp.Sleep(1200*time.Millisecond)); err != nil {
			fmt.Println("wait:", err)
		}
	}
	for _, step := range os.Args[1:] {
		cmd, arg, _ := strings.Cut(step, ":")
		fmt.Printf(">> %s\n", step)
		var err error
		switch cmd {
		case "size":
			w, h, _ := strings.Cut(arg, ",")
			wi, _ := strconv.Atoi(w)
			hi, _ := strconv.Atoi(h)
			err = chromedp.Do(ctx, chromedp.EmulateViewport(int64(wi), int64(hi)))
		case "go":
			err = chromedp.Do(ctx, chromedp.Navigate(base+arg))
			wait()
		case "nav":
			ev(fmt.Sprintf(`goappNav(%q)`, arg))
			chromedp.Do(ctx, chromedp.Sleep(1500*time.Millisecond))
		case "login":
			email, pw, ok := strings.Cut(arg, ":")
			if !ok {
				pw = "demo"
			}
			c, cc := context.WithTimeout(ctx, 30*time.Second)
			err = chromedp.Do(c, chromedp.WaitVisible("#login-email"),
				chromedp.SendKeys("#login-email", email), chromedp.SendKeys("#login-password", pw),
				chromedp.Click("#login-submit"), chromedp.Sleep(2500*time.Millisecond))
			cc()
		case "type":
			sel, txt, _ := strings.Cut(arg, "|")
			err = chromedp.Do(ctx, chromedp.SendKeys(sel, txt))
		case "click":
			err = chromedp.Do(ctx, chromedp.Click(arg), chromedp.Sleep(1200*time.Millisecond))
		case "select":
			sel, val, _ := strings.Cut(arg, "|")
			ev(fmt.Sprintf(`(()=>{const s=document.querySelector(%q); s.value=%q; s.dispatchEvent(new Event('change',{bubbles:true})); return s.value})()`, sel, val))
			chromedp.Do(ctx, chromedp.Sleep(2000*time.Millisecond))
		case "key":
			k := map[string]string{"Tab": kb.Tab, "Enter": kb.Enter, "Escape": kb.Escape, "Space": " ", "Down": kb.ArrowDown, "Up": kb.ArrowUp}[arg]
			err = chromedp.Do(ctx, chromedp.KeyEvent(k), chromedp.Sleep(700*time.Millisecond))
			fmt.Println("  focus:", ev(focusDesc))
		case "shifttab":
			err = chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(8)), chromedp.Sleep(300*time.Millisecond))
			fmt.Println("  focus:", ev(focusDesc))
		case "tabs":
			n, _ := strconv.Atoi(arg)
			for i := 0; i < n; i++ {
				chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab), chromedp.Sleep(150*time.Millisecond))
				fmt.Printf("  tab %d: %s\n", i+1, ev(focusDesc))
			}
		case "focus":
			fmt.Println("  focus:", ev(focusDesc))
		case "shot":
			buf, e := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			err = e
			os.WriteFile(out+"-"+arg+".png", buf, 0o644)
		case "vshot":
			buf, e := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			err = e
			os.WriteFile(out+"-"+arg+".png", buf, 0o644)
		case "text":
			fmt.Println(ev(`document.body.innerText`))
		case "html":
			fmt.Println(ev(`document.body.outerHTML`))
		case "eval":
			fmt.Println(ev(arg))
		case "sleep":
			ms, _ := strconv.Atoi(arg)
			chromedp.Do(ctx, chromedp.Sleep(time.Duration(ms)*time.Millisecond))
		case "url":
			fmt.Println("  url:", ev(`location.href`))
		case "wait":
			c, cc := context.WithTimeout(ctx, 20*time.Second)
			err = chromedp.Do(c, chromedp.WaitVisible(arg))
			cc()
		case "a11y":
			fmt.Println(ev(a11y))
		case "overflow":
			fmt.Println(ev(overflow))
		}
		if err != nil {
			fmt.Println("  ERROR:", err)
		}
	}
	time.Sleep(300 * time.Millisecond)
}
