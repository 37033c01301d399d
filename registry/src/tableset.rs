//! Table metadata as VODataService 1.2 writes it: the VOSI tables document (VOSI 1.1 §3.3) and
//! the `tableset` of registry records.

use crate::xml::XmlWriter;

pub const VOSI_TABLES_NS: &str = "http://www.ivoa.net/xml/VOSITables/v1.0";
pub const VODATASERVICE_NS: &str = "http://www.ivoa.net/xml/VODataService/v1.1";
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[derive(Debug, Clone, Default)]
pub struct TableSet {
    pub schemas: Vec<SchemaDesc>,
}

#[derive(Debug, Clone, Default)]
pub struct SchemaDesc {
    pub name: String,
    pub description: Option<String>,
    pub utype: Option<String>,
    pub tables: Vec<TableDesc>,
}

#[derive(Debug, Clone, Default)]
pub struct TableDesc {
    /// The fully qualified name, as queries use it.
    pub name: String,
    pub description: Option<String>,
    pub utype: Option<String>,
    pub nrows: Option<u64>,
    pub columns: Vec<ColumnDesc>,
    pub foreign_keys: Vec<ForeignKeyDesc>,
}

#[derive(Debug, Clone, Default)]
pub struct ForeignKeyDesc {
    pub target_table: String,
    /// (column of this table, column of the target table)
    pub columns: Vec<(String, String)>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ColumnDesc {
    pub name: String,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    /// VOTable datatype (`double`, `char`, …).
    pub datatype: String,
    pub arraysize: Option<String>,
    pub xtype: Option<String>,
    pub indexed: bool,
    pub principal: bool,
    pub nullable: bool,
    pub std: bool,
}

/// How much of each table the VOSI tables document shows (VOSI 1.1 §3.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Tables without their columns.
    Min,
    /// Tables with their columns.
    Max,
}

impl TableSet {
    /// The table with this qualified name, compared case-insensitively.
    pub fn table(&self, name: &str) -> Option<&TableDesc> {
        self.schemas
            .iter()
            .flat_map(|s| s.tables.iter())
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The VOSI tables document: a `vosi:tableset`.
    pub fn vosi_document(&self, detail: Detail) -> String {
        let mut w = XmlWriter::new();
        w.start(
            "vosi:tableset",
            &[
                ("xmlns:vosi", VOSI_TABLES_NS),
                ("xmlns:vs", VODATASERVICE_NS),
                ("xmlns:xsi", XSI_NS),
            ],
        );
        self.write_schemas(&mut w, detail);
        w.finish()
    }

    /// The schemas as children of a `tableset` element the caller opened.
    pub fn write_schemas(&self, w: &mut XmlWriter, detail: Detail) {
        for schema in &self.schemas {
            w.start("schema", &[]);
            w.leaf("name", &[], &schema.name);
            w.optional("description", schema.description.as_deref());
            w.optional("utype", schema.utype.as_deref());
            for table in &schema.tables {
                table.write(w, "table", &[], detail);
            }
            w.end();
        }
    }
}

impl TableDesc {
    /// The VOSI document for one table: a `vosi:table` root (VOSI 1.1 §3.3.2).
    pub fn vosi_document(&self) -> String {
        let mut w = XmlWriter::new();
        self.write(
            &mut w,
            "vosi:table",
            &[
                ("xmlns:vosi", VOSI_TABLES_NS),
                ("xmlns:vs", VODATASERVICE_NS),
                ("xmlns:xsi", XSI_NS),
            ],
            Detail::Max,
        );
        w.finish()
    }

    fn write(&self, w: &mut XmlWriter, element: &str, namespaces: &[(&str, &str)], detail: Detail) {
        let mut attributes = namespaces.to_vec();
        attributes.push(("type", "table"));
        w.start(element, &attributes);
        w.leaf("name", &[], &self.name);
        w.optional("description", self.description.as_deref());
        w.optional("utype", self.utype.as_deref());
        if let Some(nrows) = self.nrows {
            w.leaf("nrows", &[], &nrows.to_string());
        }
        if detail == Detail::Max {
            for column in &self.columns {
                column.write(w);
            }
            for key in &self.foreign_keys {
                w.start("foreignKey", &[]);
                w.leaf("targetTable", &[], &key.target_table);
                for (from, target) in &key.columns {
                    w.start("fkColumn", &[]);
                    w.leaf("fromColumn", &[], from);
                    w.leaf("targetColumn", &[], target);
                    w.end();
                }
                w.optional("description", key.description.as_deref());
                w.end();
            }
        }
        w.end();
    }
}

impl ColumnDesc {
    fn write(&self, w: &mut XmlWriter) {
        let std = if self.std { "true" } else { "false" };
        w.start("column", &[("std", std)]);
        w.leaf("name", &[], &self.name);
        w.optional("description", self.description.as_deref());
        w.optional("unit", self.unit.as_deref());
        w.optional("ucd", self.ucd.as_deref());
        w.optional("utype", self.utype.as_deref());
        let mut attributes = vec![("xsi:type", "vs:VOTableType")];
        if let Some(arraysize) = &self.arraysize {
            attributes.push(("arraysize", arraysize));
        }
        if let Some(xtype) = &self.xtype {
            attributes.push(("extendedType", xtype));
        }
        w.leaf("dataType", &attributes, &self.datatype);
        let flags = [
            (self.indexed, "indexed"),
            (self.principal, "principal"),
            (self.nullable, "nullable"),
        ];
        for (set, flag) in flags {
            if set {
                w.leaf("flag", &[], flag);
            }
        }
        w.end();
    }
}
