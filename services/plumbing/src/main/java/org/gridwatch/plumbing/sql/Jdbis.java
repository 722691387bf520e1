package org.gridwatch.plumbing.sql;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Jdbi over the service's data source, for SQL off the hot paths: named parameters and row
 * mappers instead of positional binds and SQL assembled from pieces. A handle opened inside a
 * transaction works on the transaction's connection (the data source hands it out), so Jdbi
 * statements and hand-tuned JDBC (COPY, {@code unnest} batches) share one transaction. Jdbi's
 * exceptions are unchecked, so a failed statement rolls the transaction back.
 */
@Singleton
@IfBuildProperty(name = "quarkus.datasource.db-kind", stringValue = "postgresql")
public class Jdbis {

    @Produces
    @Singleton
    Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }
}
