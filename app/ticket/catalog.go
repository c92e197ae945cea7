package ticket

// Catalog is the ticket catalog: which kinds of tickets exist, their
// categories and the data fields each category asks for. Labels are
// translation ids derived from the ids (Type_<id>, Category_<id>,
// Field_<id>), present in every locale.
type Catalog struct {
	Types []Type `json:"types"`
}

// Type is a kind of ticket.
type Type struct {
	ID         string     `json:"id"`
	AdminOnly  bool       `json:"adminOnly,omitempty"`
	Categories []Category `json:"categories"`
}

// Category is a subdivision of a type with its data fields.
type Category struct {
	ID     string  `json:"id"`
	Fields []Field `json:"fields,omitempty"`
}

// Field is a data field a category asks for.
type Field struct {
	ID       string `json:"id"`
	Required bool   `json:"required,omitempty"`
}

// DefaultCatalog is the catalog supportal ships with.
var DefaultCatalog = Catalog{Types: []Type{
	{ID: "admin_request", AdminOnly: true, Categories: []Category{
		{ID: "invoice", Fields: []Field{{ID: "invoiceNumber", Required: true}}},
		{ID: "payment", Fields: []Field{{ID: "invoiceNumber", Required: true}}},
		{ID: "contract", Fields: []Field{{ID: "orderNumber", Required: true}}},
		{ID: "general", Fields: []Field{{ID: "referenceNumber"}}},
	}},
	{ID: "login_problem", Categories: []Category{
		{ID: "password"}, {ID: "locked_account"}, {ID: "two_factor"},
	}},
	{ID: "web_interface_problem", Categories: []Category{
		{ID: "error_message"}, {ID: "display"}, {ID: "performance"},
	}},
	{ID: "user_management", Categories: []Category{
		{ID: "new_user"}, {ID: "permissions"}, {ID: "remove_user"},
	}},
	{ID: "provider_enrollment", Categories: []Category{
		{ID: "new_enrollment"}, {ID: "enrollment_change"}, {ID: "enrollment_status"},
	}},
}}

// Type returns the type with id.
func (c Catalog) Type(id string) (Type, bool) {
	for _, t := range c.Types {
		if t.ID == id {
			return t, true
		}
	}
	return Type{}, false
}

// Category returns the category with id of type t.
func (t Type) Category(id string) (Category, bool) {
	for _, c := range t.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// TypeMessageID is the translation id of a type's label.
func TypeMessageID(id string) string { return "Type_" + id }

// CategoryMessageID is the translation id of a category's label.
func CategoryMessageID(id string) string { return "Category_" + id }

// FieldMessageID is the translation id of a field's label.
func FieldMessageID(id string) string { return "Field_" + id }
