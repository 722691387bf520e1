package org.gridwatch.console.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Pages of every part of the console. */
public final class Pages {

    private Pages() {
    }

    @CheckedTemplate
    public static class Templates {
        /** A page that could not be shown: what the service said, and the way back. */
        public static native TemplateInstance refused(String detail, int status, Person person, String lang);

        /** For a person whose roles have no page here. */
        public static native TemplateInstance noPage(Person person, String lang);
    }
}
