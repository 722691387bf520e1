package org.gridwatch.console.web;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import io.quarkus.qute.TemplateExtension;

/**
 * A finding's kind in people's words, for the pages: {@code {kind:name(alert.kind)}} gives
 * "Heart rate out of range" or "心率异常" for {@code vital-signs.heart-rate}. The names are in
 * {@code messages/kinds*.properties}; a kind an integrator added without a name there shows as
 * its code, which still says what it is.
 */
@TemplateExtension(namespace = "kind")
public final class KindNames {

    private KindNames() {
    }

    static String name(String kind, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        if (kind == null || kind.isBlank()) {
            return "";
        }
        Locale wanted = locale instanceof Locale given ? given : Language.CHINESE;
        try {
            return ResourceBundle.getBundle("messages.kinds", wanted, ResourceBundle.Control.getNoFallbackControl(
                    ResourceBundle.Control.FORMAT_PROPERTIES)).getString(kind);
        } catch (MissingResourceException e) {
            return kind;
        }
    }
}
