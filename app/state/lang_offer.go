package state

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/locales"
)

// The language a user chose is theirs: it is kept with the user and wins
// over the browser's. But a user whose language is, say, English and whose
// browser asks for Spanish is asked once, on this browser, whether to
// switch (the answer is kept, yes or no).

// langOfferKey keeps, per user id, the browser language the user was asked
// about. It holds no user data, so it stays after logout (outside
// storagePrefix).
const langOfferKey = "supportal-lang-offered"

// LangOffer returns the language to offer user userID, who works in lang,
// or "" when there is nothing to ask.
func LangOffer(ctx app.Context, userID int64, lang string) string {
	if userID == 0 || Embedded() {
		return "" // in a host's frame, the host chooses the language
	}
	offer := BrowserLang()
	if offer == lang || !locales.Supports(offer) {
		return ""
	}
	asked := map[string]string{}
	ctx.LocalStorage().Get(langOfferKey, &asked)
	if asked[strconv.FormatInt(userID, 10)] == offer {
		return ""
	}
	return offer
}

// AnswerLangOffer keeps that userID was asked about lang, and switches to
// it when the user said yes.
func AnswerLangOffer(ctx app.Context, userID int64, lang string, yes bool) {
	asked := map[string]string{}
	ctx.LocalStorage().Get(langOfferKey, &asked)
	asked[strconv.FormatInt(userID, 10)] = lang
	ctx.LocalStorage().Set(langOfferKey, asked)
	if yes {
		ctx.NewActionWithValue(SetLang, lang)
	}
}
