package org.gridwatch.console.web;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The language of the pages: the one the person chose (a cookie set by the switch in the header),
 * else the first of their browser's that the console speaks, else zh-CN, the demo district's.
 */
@RequestScoped
public class Language {

    public static final String COOKIE = "gridwatch-lang";
    public static final Locale CHINESE = Locale.forLanguageTag("zh-CN");
    static final List<Locale> SPOKEN = List.of(CHINESE, Locale.ENGLISH);

    @Inject
    HttpHeaders headers;

    public Locale locale() {
        var chosen = headers.getCookies().get(COOKIE);
        if (chosen != null) {
            return spoken(Locale.forLanguageTag(chosen.getValue()));
        }
        for (Locale wanted : headers.getAcceptableLanguages()) {
            if (wanted.getLanguage().equals("zh") || wanted.getLanguage().equals("en")) {
                return spoken(wanted);
            }
        }
        return CHINESE;
    }

    public String tag() {
        return locale().toLanguageTag();
    }

    static Locale spoken(Locale wanted) {
        return wanted.getLanguage().equals("en") ? Locale.ENGLISH : CHINESE;
    }
}
