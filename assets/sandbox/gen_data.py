#!/usr/bin/env python3
"""Regenerates the sandbox demo data (*.json next to this script). Deterministic: run `python3 gen_data.py`."""
import json, uuid, zlib, struct, base64

import os
OUT = os.path.dirname(os.path.abspath(__file__)) + "/"
NS = uuid.UUID("6f1c9d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f")
def guid(s): return str(uuid.uuid5(NS, s))

def png(rgb):
    raw = b"\x00" + bytes(rgb)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(data).decode()

next_pid = [3400001]
def el(name, desc, dtype="Text", optional=True, ttype="QueryString", tname=None, values=None, trigger=None, role=None):
    pid = next_pid[0]; next_pid[0] += 1
    return {"Id": pid, "Name": name, "Description": desc, "IsOptional": optional, "DataType": dtype,
            "TargetType": ttype, "TargetName": tname or name, "Values": values, "TriggerName": trigger,
            "_role": role}

def P(name, desc, **kw): return el(name, desc, **kw)
def F(name, tname, desc, dtype="Text", optional=True, values=None):
    return el(name, desc, dtype=dtype, optional=optional, ttype="RequestField", tname=tname, values=values)
def R(name, tname, desc, dtype="Text"):
    return el(name, desc, dtype=dtype, ttype="ResponseField", tname=tname)

def page_params(page="page", size="pageSize"):
    return [P("Page", "Page number to return (1-based).", dtype="Integer", tname=page, role="page"),
            P("Page Size", "Number of records per page.", dtype="Integer", tname=size, role="pageSize")]

connectors = []
def connector(cid, name, desc, version, auth, oauth2, scheme, cats, rgb, auth_desc):
    c = {"Id": cid, "Name": name, "Description": desc, "Status": "Approved", "Version": version,
         "Icon": png(rgb), "AuthDescription": auth_desc, "AuthType": auth, "OAuth2Type": oauth2,
         "AuthScheme": scheme, "Categories": cats, "Parameters": [], "Methods": []}
    connectors.append(c); return c

def method(c, name, desc, cat, endpoint, behaviour, params=(), fields=(), resp=()):
    mid = c["Id"] * 100 + len(c["Methods"]) + 1
    params = list(params); fields = list(fields)
    b = dict(behaviour)
    for p in params:
        role = p.pop("_role")
        if role == "page": b["PageParameter"] = p["Id"]
        elif role == "pageSize": b["PageSizeParameter"] = p["Id"]
        elif role == "id": b["IdParameter"] = p["Id"]
        elif role and role.startswith("filter:"):
            b.setdefault("Filters", []).append({"Parameter": p["Id"], "Key": role[7:]})
    for f in list(fields) + list(resp): f.pop("_role", None)
    for i, e in enumerate(params): e["DisplayOrder"] = i + 1
    for i, e in enumerate(fields): e["DisplayOrder"] = i + 1
    for i, e in enumerate(resp): e["DisplayOrder"] = i + 1
    m = {"Id": mid, "Name": name, "Description": desc, "Category": cat, "MethodType": "Action",
         "EndPoint": endpoint, "MethodUniqueIdentifier": guid(f"{c['Name']}/{name}"),
         "Parameters": params, "RequestFields": fields, "ResponseFields": list(resp), "Behaviour": b}
    c["Methods"].append(m); return m

def crud(c, entity, singular, plural, cat, base, idname, idkey, fields, resp, wrap=None, wrap_one=None, total_key=None,
         extra=None, id_prefix=None, update=True, delete=True, create=True, paged=("page", "pageSize"), list_params=()):
    lb = {"Kind": "list", "Entity": entity}
    if wrap: lb["Wrap"] = wrap
    if total_key: lb["TotalKey"] = total_key
    if extra: lb["Extra"] = extra
    gb = {"Kind": "get", "Entity": entity, "IdKey": idkey}
    if wrap_one: gb["WrapOne"] = wrap_one
    mk = lambda: [R(n, t, d, dt) for (n, t, d, dt) in resp]
    method(c, f"List {plural}", f"Returns a page of {plural.lower()}.", cat, base,
           lb, params=list(list_params) + (page_params(*paged) if paged else []), resp=mk())
    method(c, f"Get {singular}", f"Returns a single {singular.lower()} by its id.", cat, base + "/{{" + idname.replace(" ", "") + "}}",
           gb, params=[P(idname, f"The {singular.lower()}'s id.", optional=False, ttype="MergeField", tname=idname.replace(" ", ""), role="id")], resp=mk())
    if create:
        cb = {"Kind": "create", "Entity": entity, "IdKey": idkey}
        if id_prefix: cb["IdPrefix"] = id_prefix
        if wrap_one: cb["WrapOne"] = wrap_one
        method(c, f"Create {singular}", f"Creates a new {singular.lower()}.", cat, base, cb,
               fields=[F(n, t, d, dt, opt, v) for (n, t, d, dt, opt, v) in fields], resp=mk())
    if update:
        ub = {"Kind": "update", "Entity": entity, "IdKey": idkey}
        if wrap_one: ub["WrapOne"] = wrap_one
        method(c, f"Update {singular}", f"Updates an existing {singular.lower()}; only the supplied fields change.", cat,
               base + "/{{" + idname.replace(" ", "") + "}}", ub,
               params=[P(idname, f"The {singular.lower()}'s id.", optional=False, ttype="MergeField", tname=idname.replace(" ", ""), role="id")],
               fields=[F(n, t, d, dt, True, v) for (n, t, d, dt, opt, v) in fields], resp=mk())
    if delete:
        method(c, f"Delete {singular}", f"Deletes a {singular.lower()}.", cat, base + "/{{" + idname.replace(" ", "") + "}}",
               {"Kind": "delete", "Entity": entity, "IdKey": idkey},
               params=[P(idname, f"The {singular.lower()}'s id.", optional=False, ttype="MergeField", tname=idname.replace(" ", ""), role="id")])

def lookup(c, name, cat, endpoint, values, key="values"):
    method(c, name, f"Returns the allowed values ({name[5:].lower()}).", cat, endpoint,
           {"Kind": "lookup", "Body": {key: [{"label": v, "value": v} for v in values]}},
           resp=[R("Value", f"{key}[].value", "The value."), R("Label", f"{key}[].label", "Display label.")])

T, O = "Text", True
records = {}

# ---------------- Salesforce ----------------
sf = connector(5122, "Salesforce", "Salesforce is the world's #1 customer relationship management (CRM) platform.", "v58.0",
               "OAuth2", "AuthorisationCode", "Authorization", ["CRMs", "Sales"], (0, 161, 224),
               "Sign in with a Salesforce user that has API access.")
SFB = "https://{{InstanceUrl}}/services/data/v58.0/sobjects"
lead_statuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
crud(sf, "contacts", "Contact", "Contacts", "Contacts", SFB + "/Contact", "Contact Id", "Id",
     [("First Name", "FirstName", "Given name.", T, O, None), ("Last Name", "LastName", "Family name.", T, False, None),
      ("Email", "Email", "Primary email address.", T, O, None), ("Phone", "Phone", "Business phone.", T, O, None),
      ("Title", "Title", "Job title.", T, O, None), ("Account Id", "AccountId", "Parent account id.", T, O, None),
      ("Birthdate", "Birthdate", "Date of birth.", "DateTime", O, None)],
     [("Id", "Id", "Record id.", T), ("First Name", "FirstName", "", T), ("Last Name", "LastName", "", T), ("Email", "Email", "", T),
      ("Created Date", "CreatedDate", "", "DateTime")],
     wrap="records", total_key="totalSize", extra={"done": True}, id_prefix="0035g00000NEW")
crud(sf, "leads", "Lead", "Leads", "Leads", SFB + "/Lead", "Lead Id", "Id",
     [("First Name", "FirstName", "", T, O, None), ("Last Name", "LastName", "", T, False, None), ("Company", "Company", "", T, False, None),
      ("Email", "Email", "", T, O, None), ("Status", "Status", "Lead status.", T, O, lead_statuses),
      ("Annual Revenue", "AnnualRevenue", "", "Decimal", O, None), ("Number Of Employees", "NumberOfEmployees", "", "Integer", O, None)],
     [("Id", "Id", "", T), ("Company", "Company", "", T), ("Status", "Status", "", T)],
     wrap="records", total_key="totalSize", extra={"done": True}, id_prefix="00Q5g00000NEW", delete=False)
crud(sf, "accounts", "Account", "Accounts", "Accounts", SFB + "/Account", "Account Id", "Id",
     [("Name", "Name", "", T, False, None), ("Industry", "Industry", "", T, O, ["Technology", "Manufacturing", "Retail", "Finance"]),
      ("Website", "Website", "", T, O, None)],
     [("Id", "Id", "", T), ("Name", "Name", "", T)], wrap="records", total_key="totalSize", extra={"done": True},
     id_prefix="0015g00000NEW", update=False, delete=False)
lookup(sf, "List Lead Statuses", "Lookups", SFB + "/Lead/describe", lead_statuses)
lookup(sf, "List Industries", "Lookups", SFB + "/Account/describe", ["Agriculture", "Banking", "Technology", "Manufacturing", "Retail"])
records[5122] = {
    "contacts": [
        {"Id": "0035g00000Xy1AbAAJ", "FirstName": "Ada", "LastName": "Lovelace", "Email": "ada.lovelace@acme.example", "Phone": "+44 20 7946 0018", "Title": "Head of Engineering", "AccountId": "0015g00000Ab1CdAAJ", "Birthdate": "1985-12-10", "CreatedDate": "2024-02-11T09:15:22.000+0000", "Status": "Active"},
        {"Id": "0035g00000Xy1AcAAJ", "FirstName": "Grace", "LastName": "Hopper", "Email": "grace.hopper@globex.example", "Phone": "+1 212 555 0147", "Title": "CTO", "AccountId": "0015g00000Ab1CeAAJ", "Birthdate": None, "CreatedDate": "2024-03-04T14:02:51.000+0000", "Status": "Active"},
        {"Id": "0035g00000Xy1AdAAJ", "FirstName": "Søren", "LastName": "Kierkegaard", "Email": "soren@initech.example", "Phone": None, "Title": "Procurement Lead", "AccountId": "0015g00000Ab1CfAAJ", "Birthdate": "1979-05-05", "CreatedDate": "2024-05-19T08:44:10.000+0000", "Status": "Inactive"},
        {"Id": "0035g00000Xy1AeAAJ", "FirstName": "Chiamaka", "LastName": "Okafor", "Email": "c.okafor@umbrella.example", "Phone": "+234 1 555 0199", "Title": "VP Sales", "AccountId": "0015g00000Ab1CgAAJ", "Birthdate": None, "CreatedDate": "2024-07-30T17:20:05.000+0000", "Status": "Archived"},
        {"Id": "0035g00000Xy1AfAAJ", "FirstName": "Hiroshi", "LastName": "Tanaka", "Email": "h.tanaka@acme.example", "Phone": "+81 3 5555 0123", "Title": "Account Manager", "AccountId": "0015g00000Ab1CdAAJ", "Birthdate": "1990-01-21", "CreatedDate": "2024-09-02T11:05:33.000+0000", "Status": "Active"},
    ],
    "leads": [
        {"Id": "00Q5g00000Lm2AbEAJ", "FirstName": "Marie", "LastName": "Curie", "Company": "Radium Labs", "Email": "marie@radium.example", "Status": "Working - Contacted", "AnnualRevenue": 2500000, "NumberOfEmployees": 40},
        {"Id": "00Q5g00000Lm2AcEAJ", "FirstName": "Alan", "LastName": "Turing", "Company": "Bletchley Analytics", "Email": "alan@bletchley.example", "Status": "Open - Not Contacted", "AnnualRevenue": None, "NumberOfEmployees": 12},
        {"Id": "00Q5g00000Lm2AdEAJ", "FirstName": "Katherine", "LastName": "Johnson", "Company": "Orbital Mechanics Inc.", "Email": "kjohnson@orbital.example", "Status": "Closed - Converted", "AnnualRevenue": 8900000, "NumberOfEmployees": 230},
    ],
    "accounts": [
        {"Id": "0015g00000Ab1CdAAJ", "Name": "Acme Corporation", "Industry": "Manufacturing", "Website": "https://acme.example"},
        {"Id": "0015g00000Ab1CeAAJ", "Name": "Globex Industries", "Industry": "Technology", "Website": "https://globex.example"},
        {"Id": "0015g00000Ab1CfAAJ", "Name": "Initech", "Industry": "Technology", "Website": None},
        {"Id": "0015g00000Ab1CgAAJ", "Name": "Umbrella Retail Ltd", "Industry": "Retail", "Website": "https://umbrella.example"},
    ],
}

# ---------------- HubSpot ----------------
hs = connector(4381, "HubSpot", "HubSpot CRM, marketing, sales and service hubs.", "v3", "OAuth2", "AuthorisationCode", "Authorization",
               ["CRMs", "Marketing Automation"], (255, 122, 89), "Connect a HubSpot portal.")
HSB = "https://api.hubapi.com/crm/v3/objects"
deal_stages = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "closedwon", "closedlost"]
crud(hs, "contacts", "Contact", "Contacts", "Contacts", HSB + "/contacts", "Contact Id", "id",
     [("Email", "properties.email", "Email address.", T, False, None), ("First Name", "properties.firstname", "", T, O, None),
      ("Last Name", "properties.lastname", "", T, O, None), ("Phone Number", "properties.phone", "", T, O, None),
      ("Lifecycle Stage", "properties.lifecyclestage", "", T, O, ["subscriber", "lead", "marketingqualifiedlead", "customer"])],
     [("Id", "id", "", T), ("Email", "properties.email", "", T), ("Created At", "createdAt", "", "DateTime")],
     wrap="results", paged=("after", "limit"))
crud(hs, "companies", "Company", "Companies", "Companies", HSB + "/companies", "Company Id", "id",
     [("Name", "properties.name", "", T, False, None), ("Domain", "properties.domain", "", T, O, None),
      ("Number Of Employees", "properties.numberofemployees", "", "Integer", O, None)],
     [("Id", "id", "", T), ("Name", "properties.name", "", T)], wrap="results", paged=("after", "limit"), delete=False)
crud(hs, "deals", "Deal", "Deals", "Deals", HSB + "/deals", "Deal Id", "id",
     [("Deal Name", "properties.dealname", "", T, False, None), ("Amount", "properties.amount", "", "Decimal", O, None),
      ("Deal Stage", "properties.dealstage", "", T, O, deal_stages), ("Close Date", "properties.closedate", "", "DateTime", O, None)],
     [("Id", "id", "", T), ("Deal Name", "properties.dealname", "", T)], wrap="results", paged=("after", "limit"), update=False, delete=False)
lookup(hs, "List Deal Stages", "Lookups", "https://api.hubapi.com/crm/v3/pipelines/deals", deal_stages, key="results")
records[4381] = {
    "contacts": [
        {"id": "151", "properties": {"email": "bh@hubspot.example", "firstname": "Brian", "lastname": "Halligan", "phone": "+1 617 555 0101", "lifecyclestage": "customer"}, "createdAt": "2023-11-02T10:11:12.000Z", "archived": False},
        {"id": "201", "properties": {"email": "leila.haddad@acme.example", "firstname": "Leila", "lastname": "Haddad", "phone": None, "lifecyclestage": "lead"}, "createdAt": "2024-01-15T08:30:00.000Z", "archived": False},
        {"id": "251", "properties": {"email": "j.mueller@globex.example", "firstname": "Jürgen", "lastname": "Müller", "phone": "+49 30 5555 0132", "lifecyclestage": "marketingqualifiedlead"}, "createdAt": "2024-04-22T16:45:09.000Z", "archived": False},
        {"id": "301", "properties": {"email": "priya.nair@initech.example", "firstname": "Priya", "lastname": "Nair", "phone": "+91 80 5555 0177", "lifecyclestage": "subscriber"}, "createdAt": "2024-06-01T12:00:00.000Z", "archived": False},
    ],
    "companies": [
        {"id": "9001", "properties": {"name": "Acme Corporation", "domain": "acme.example", "numberofemployees": 1200}, "createdAt": "2023-10-01T09:00:00.000Z"},
        {"id": "9002", "properties": {"name": "Globex Industries", "domain": "globex.example", "numberofemployees": 540}, "createdAt": "2023-12-12T09:00:00.000Z"},
    ],
    "deals": [
        {"id": "7001", "properties": {"dealname": "Acme – Enterprise renewal 2025", "amount": "48000", "dealstage": "presentationscheduled", "closedate": "2025-03-31T00:00:00.000Z"}},
        {"id": "7002", "properties": {"dealname": "Globex – Pilot", "amount": "6500", "dealstage": "closedwon", "closedate": "2024-08-15T00:00:00.000Z"}},
    ],
}

# ---------------- Mailchimp ----------------
mc = connector(3310, "Mailchimp", "Mailchimp email marketing: audiences, members and campaigns.", "3.0", "ApiKey", "Unknown", "Basic",
               ["Email Marketing", "Marketing Automation"], (255, 224, 27), "Enter your Mailchimp API key (ends in the data-centre, e.g. -us21).")
MCB = "https://{{DataCenter}}.api.mailchimp.com/3.0"
method(mc, "List Audiences", "Returns the audiences (lists) in the account.", "Audiences", MCB + "/lists",
       {"Kind": "list", "Entity": "lists", "Wrap": "lists", "TotalKey": "total_items"}, params=page_params("offset", "count"),
       resp=[R("Id", "lists[].id", ""), R("Name", "lists[].name", "")])
crud(mc, "members", "Member", "Members", "Members", MCB + "/lists/{{ListId}}/members", "Subscriber Hash", "id",
     [("Email Address", "email_address", "", T, False, None), ("Status", "status", "", T, False, ["subscribed", "unsubscribed", "cleaned", "pending"]),
      ("First Name", "merge_fields.FNAME", "", T, O, None), ("Last Name", "merge_fields.LNAME", "", T, O, None)],
     [("Id", "id", "", T), ("Email Address", "email_address", "", T)], wrap="members", total_key="total_items",
     paged=("offset", "count"), list_params=[P("List Id", "The audience id.", optional=False, ttype="MergeField", tname="ListId", trigger="List Audiences", role="filter:list_id")])
method(mc, "List Campaigns", "Returns campaigns.", "Campaigns", MCB + "/campaigns",
       {"Kind": "list", "Entity": "campaigns", "Wrap": "campaigns", "TotalKey": "total_items"},
       params=[P("Status", "Filter by status.", values=["save", "paused", "schedule", "sending", "sent"], tname="status", role="filter:status")] + page_params("offset", "count"))
records[3310] = {
    "lists": [{"id": "4ca5becb8d", "name": "Acme Newsletter", "stats": {"member_count": 3}}, {"id": "b5e1e6b9a2", "name": "Product Updates", "stats": {"member_count": 1}}],
    "members": [
        {"id": "62eeb292278cc15f5817cb78f7790b08", "list_id": "4ca5becb8d", "email_address": "ada.lovelace@acme.example", "status": "subscribed", "merge_fields": {"FNAME": "Ada", "LNAME": "Lovelace"}, "timestamp_opt": "2024-02-12T10:00:00+00:00"},
        {"id": "a4c3b1f0d9e8c7b6a5f4e3d2c1b0a9f8", "list_id": "4ca5becb8d", "email_address": "grace.hopper@globex.example", "status": "unsubscribed", "merge_fields": {"FNAME": "Grace", "LNAME": "Hopper"}, "timestamp_opt": "2024-03-05T09:12:00+00:00"},
        {"id": "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a", "list_id": "4ca5becb8d", "email_address": "zoe@umbrella.example", "status": "pending", "merge_fields": {"FNAME": "Zoë", "LNAME": "Ångström"}, "timestamp_opt": "2024-07-01T18:00:00+00:00"},
        {"id": "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "list_id": "b5e1e6b9a2", "email_address": "h.tanaka@acme.example", "status": "subscribed", "merge_fields": {"FNAME": "Hiroshi", "LNAME": "Tanaka"}, "timestamp_opt": "2024-09-03T07:30:00+00:00"},
    ],
    "campaigns": [
        {"id": "42694e9e57", "status": "sent", "settings": {"subject_line": "Acme Spring Launch 🚀", "title": "Spring launch"}, "send_time": "2024-04-02T09:00:00+00:00"},
        {"id": "a26b4f1c9d", "status": "save", "settings": {"subject_line": "Holiday opening hours", "title": "Holiday hours"}, "send_time": None},
    ],
}

# ---------------- Shopify ----------------
sh = connector(6021, "Shopify", "Shopify commerce platform: customers, orders and products.", "2024-01", "ApiKey", "Unknown", None,
               ["eCommerce"], (149, 191, 71), "Enter an Admin API access token (shpat_…) for a custom app.")
SHB = "https://{{ShopName}}.myshopify.com/admin/api/2024-01"
crud(sh, "customers", "Customer", "Customers", "eCommerce Customers", SHB + "/customers.json", "Customer Id", "id",
     [("Email", "email", "", T, False, None), ("First Name", "first_name", "", T, O, None), ("Last Name", "last_name", "", T, O, None),
      ("Phone", "phone", "", T, O, None), ("Accepts Marketing", "accepts_marketing", "", "Boolean", O, None)],
     [("Id", "id", "", "Integer"), ("Email", "email", "", T)], wrap="customers", wrap_one="customer", paged=("page", "limit"))
crud(sh, "orders", "Order", "Orders", "eCommerce Orders", SHB + "/orders.json", "Order Id", "id", [],
     [("Id", "id", "", "Integer"), ("Name", "name", "", T), ("Total Price", "total_price", "", "Decimal")],
     wrap="orders", wrap_one="order", paged=("page", "limit"), create=False, update=False, delete=False,
     list_params=[P("Financial Status", "Filter by financial status.", tname="financial_status", values=["paid", "pending", "refunded"], role="filter:financial_status")])
crud(sh, "products", "Product", "Products", "eCommerce Products", SHB + "/products.json", "Product Id", "id",
     [("Title", "title", "", T, False, None), ("Vendor", "vendor", "", T, O, None), ("Product Type", "product_type", "", T, O, None),
      ("Status", "status", "", T, O, ["active", "draft", "archived"])],
     [("Id", "id", "", "Integer"), ("Title", "title", "", T)], wrap="products", wrap_one="product", paged=("page", "limit"), delete=False)
records[6021] = {
    "customers": [
        {"id": 6820347281579, "email": "ada.lovelace@acme.example", "first_name": "Ada", "last_name": "Lovelace", "phone": "+442079460018", "accepts_marketing": True, "orders_count": 3, "total_spent": "419.85", "created_at": "2024-02-11T09:20:00+00:00"},
        {"id": 6820347281580, "email": "li.wei@example.cn", "first_name": "伟", "last_name": "李", "phone": None, "accepts_marketing": False, "orders_count": 1, "total_spent": "89.00", "created_at": "2024-05-06T03:12:44+08:00"},
        {"id": 6820347281581, "email": "jose.garcia@example.es", "first_name": "José", "last_name": "García", "phone": "+34915550123", "accepts_marketing": True, "orders_count": 0, "total_spent": "0.00", "created_at": "2024-08-19T21:01:09+02:00"},
    ],
    "orders": [
        {"id": 5512345678901, "name": "#1001", "email": "ada.lovelace@acme.example", "financial_status": "paid", "total_price": "199.95", "currency": "GBP", "created_at": "2024-02-12T10:00:00+00:00", "line_items": [{"title": "Analytical Engine Mug", "quantity": 5, "price": "39.99"}]},
        {"id": 5512345678902, "name": "#1002", "email": "li.wei@example.cn", "financial_status": "pending", "total_price": "89.00", "currency": "CNY", "created_at": "2024-05-06T03:15:00+08:00", "line_items": [{"title": "Rocket Skates", "quantity": 1, "price": "89.00"}]},
        {"id": 5512345678903, "name": "#1003", "email": "ada.lovelace@acme.example", "financial_status": "refunded", "total_price": "219.90", "currency": "GBP", "created_at": "2024-06-30T15:42:00+00:00", "line_items": [{"title": "Giant Magnet", "quantity": 2, "price": "109.95"}]},
    ],
    "products": [
        {"id": 8001234567001, "title": "Analytical Engine Mug", "vendor": "Acme", "product_type": "Mugs", "status": "active"},
        {"id": 8001234567002, "title": "Rocket Skates", "vendor": "Acme", "product_type": "Sports", "status": "active"},
        {"id": 8001234567003, "title": "Giant Magnet", "vendor": "Acme", "product_type": "Tools", "status": "draft"},
    ],
}

# ---------------- Slack ----------------
sl = connector(2750, "Slack", "Slack messaging: channels, messages and users.", "v2", "OAuth2", "AuthorisationCode", "Authorization",
               ["Communication", "Collaboration"], (74, 21, 75), "Install the Cyclr app into a Slack workspace.")
method(sl, "List Channels", "Lists public channels in the workspace.", "Channels", "https://slack.com/api/conversations.list",
       {"Kind": "list", "Entity": "channels", "Wrap": "channels", "Extra": {"ok": True}},
       params=[P("Exclude Archived", "Leave out archived channels.", dtype="Boolean", tname="exclude_archived")] + page_params("cursor", "limit"),
       resp=[R("Id", "channels[].id", ""), R("Name", "channels[].name", "")])
method(sl, "Post Message", "Posts a message to a channel.", "Messages", "https://slack.com/api/chat.postMessage",
       {"Kind": "create", "Entity": "messages", "IdKey": "ts", "IdPrefix": "1719410000.00"},
       fields=[F("Channel", "channel", "Channel id or name.", T, False, None), F("Text", "text", "Message text (mrkdwn).", T, False, None),
               F("Username", "username", "Override bot name.", T, O, None)],
       resp=[R("Timestamp", "ts", "")])
crud(sl, "users", "User", "Users", "Users", "https://slack.com/api/users.list", "User Id", "id", [],
     [("Id", "id", "", T), ("Real Name", "real_name", "", T)], wrap="members", extra={"ok": True}, paged=("cursor", "limit"),
     create=False, update=False, delete=False)
records[2750] = {
    "channels": [{"id": "C01ABCD2EFG", "name": "general", "is_archived": False, "num_members": 48}, {"id": "C02BCDE3FGH", "name": "ops-alerts", "is_archived": False, "num_members": 9},
                 {"id": "C03CDEF4GHI", "name": "old-project-x", "is_archived": True, "num_members": 0}],
    "messages": [],
    "users": [{"id": "U012AB3CDE", "name": "ada", "real_name": "Ada Lovelace", "tz": "Europe/London", "is_bot": False},
              {"id": "U023BC4DEF", "name": "cyclr-bot", "real_name": "Cyclr", "tz": "Etc/UTC", "is_bot": True}],
}

# ---------------- Xero ----------------
xe = connector(4907, "Xero", "Xero accounting: contacts and invoices.", "2.0", "OAuth2", "AuthorisationCode", "Authorization",
               ["Accounting", "Finance"], (19, 181, 234), "Sign in to Xero and choose an organisation.")
XEB = "https://api.xero.com/api.xro/2.0"
inv_status = ["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"]
crud(xe, "contacts", "Contact", "Contacts", "Contacts", XEB + "/Contacts", "Contact ID", "ContactID",
     [("Name", "Name", "", T, False, None), ("Email Address", "EmailAddress", "", T, O, None), ("Account Number", "AccountNumber", "", T, O, None)],
     [("Contact ID", "ContactID", "", T), ("Name", "Name", "", T)], wrap="Contacts", wrap_one="Contacts", paged=("page", "pageSize"), delete=False)
crud(xe, "invoices", "Invoice", "Invoices", "Invoices", XEB + "/Invoices", "Invoice ID", "InvoiceID",
     [("Contact ID", "Contact.ContactID", "", T, False, None), ("Type", "Type", "", T, False, ["ACCREC", "ACCPAY"]),
      ("Status", "Status", "", T, O, inv_status), ("Due Date", "DueDate", "", "DateTime", O, None), ("Total", "Total", "", "Decimal", O, None)],
     [("Invoice ID", "InvoiceID", "", T), ("Invoice Number", "InvoiceNumber", "", T), ("Total", "Total", "", "Decimal")],
     wrap="Invoices", paged=("page", "pageSize"), update=False, delete=False,
     list_params=[P("Statuses", "Comma-separated statuses.", tname="Statuses", values=inv_status, role="filter:Status")])
lookup(xe, "List Invoice Statuses", "Lookups", XEB + "/Invoices", inv_status)
records[4907] = {
    "contacts": [
        {"ContactID": "bd2270c3-8706-4c11-9cfb-000b551c3f51", "Name": "Acme Corporation", "EmailAddress": "accounts@acme.example", "AccountNumber": "ACME001", "ContactStatus": "ACTIVE", "UpdatedDateUTC": "/Date(1707642000000+0000)/"},
        {"ContactID": "3e776c4b-ea9e-4bb1-96be-6b0c7a71a37f", "Name": "Globex Industries", "EmailAddress": "ap@globex.example", "AccountNumber": "GLBX01", "ContactStatus": "ACTIVE", "UpdatedDateUTC": "/Date(1709550000000+0000)/"},
        {"ContactID": "565acaa9-e7f3-4fbf-80c3-16b081ddae10", "Name": "Initech", "EmailAddress": None, "AccountNumber": None, "ContactStatus": "ARCHIVED", "UpdatedDateUTC": "/Date(1716105600000+0000)/"},
    ],
    "invoices": [
        {"InvoiceID": "243216c5-369e-4056-ac67-05388f86dc81", "InvoiceNumber": "INV-0041", "Type": "ACCREC", "Status": "AUTHORISED", "Contact": {"ContactID": "bd2270c3-8706-4c11-9cfb-000b551c3f51", "Name": "Acme Corporation"}, "DueDate": "2024-03-15T00:00:00", "Total": 1250.00, "CurrencyCode": "GBP"},
        {"InvoiceID": "0032e0c4-2e3f-4b4c-a8ac-2a8c9b3e0f11", "InvoiceNumber": "INV-0042", "Type": "ACCREC", "Status": "PAID", "Contact": {"ContactID": "3e776c4b-ea9e-4bb1-96be-6b0c7a71a37f", "Name": "Globex Industries"}, "DueDate": "2024-04-01T00:00:00", "Total": 780.50, "CurrencyCode": "EUR"},
        {"InvoiceID": "7b9c3d2e-1f0a-4e5b-9c8d-7e6f5a4b3c2d", "InvoiceNumber": "INV-0043", "Type": "ACCPAY", "Status": "DRAFT", "Contact": {"ContactID": "565acaa9-e7f3-4fbf-80c3-16b081ddae10", "Name": "Initech"}, "DueDate": None, "Total": 99.99, "CurrencyCode": "USD"},
    ],
}

# ---------------- Zendesk ----------------
zd = connector(3902, "Zendesk Support", "Zendesk Support tickets and users.", "v2", "Basic", "Unknown", "Basic",
               ["Customer Support", "Helpdesk"], (3, 54, 61), "Enter an agent email with /token and an API token.")
ZDB = "https://{{Subdomain}}.zendesk.com/api/v2"
crud(zd, "tickets", "Ticket", "Tickets", "Tickets", ZDB + "/tickets", "Ticket Id", "id",
     [("Subject", "subject", "", T, False, None), ("Description", "description", "", T, False, None),
      ("Priority", "priority", "", T, O, ["low", "normal", "high", "urgent"]), ("Status", "status", "", T, O, ["new", "open", "pending", "solved", "closed"]),
      ("Requester Email", "requester.email", "", T, O, None)],
     [("Id", "id", "", "Integer"), ("Subject", "subject", "", T), ("Status", "status", "", T)],
     wrap="tickets", wrap_one="ticket", total_key="count", paged=("page", "per_page"), delete=False)
crud(zd, "users", "User", "Users", "Users", ZDB + "/users", "User Id", "id", [],
     [("Id", "id", "", "Integer"), ("Name", "name", "", T)], wrap="users", wrap_one="user", total_key="count",
     paged=("page", "per_page"), create=False, update=False, delete=False)
records[3902] = {
    "tickets": [
        {"id": 35436, "subject": "Printer on fire", "description": "The printer in room 4B is literally on fire.", "priority": "urgent", "status": "open", "requester": {"email": "moss@initech.example"}, "created_at": "2024-06-11T08:01:00Z"},
        {"id": 35437, "subject": "Invoice INV-0042 missing VAT", "description": "Please reissue with VAT number.", "priority": "normal", "status": "pending", "requester": {"email": "ap@globex.example"}, "created_at": "2024-06-12T13:37:00Z"},
        {"id": 35438, "subject": "Password reset \u001b[31mURGENT\u001b[0m", "description": "Ticket text copied from a terminal:\u001b[2K\r\u001b[1A overwritten line", "priority": "high", "status": "new", "requester": {"email": "roy@initech.example"}, "created_at": "2024-06-13T09:00:00Z"},
    ],
    "users": [{"id": 421000001, "name": "Maurice Moss", "email": "moss@initech.example", "role": "end-user"}, {"id": 421000002, "name": "Jen Barber", "email": "jen@initech.example", "role": "agent"}],
}

# ---------------- Demo Tools (HTTP Bin) ----------------
dt = connector(9001, "HTTP Bin (Demo Tools)", "Sandbox-only connector whose methods exercise slow, large, broken and hostile responses.", "1.0",
               "ApiKey", "Unknown", "X-Api-Key", ["Developer Tools"], (90, 90, 90), "Any API key works.")
DTB = "https://httpbin.sandbox.invalid"
method(dt, "Echo", "Returns the parameters and fields it was called with, keyed by name.", "Diagnostics", DTB + "/anything",
       {"Kind": "echo"}, params=[P("Message", "Any text.", tname="message"), P("Count", "Any integer.", dtype="Integer", tname="count")],
       fields=[F("Note", "note", "Any text.", T, O, None), F("Flag", "flag", "Any boolean.", "Boolean", O, None)])
method(dt, "Slow Response (4 s)", "Waits 4 seconds before answering.", "Timing", DTB + "/delay/4",
       {"Kind": "slow", "DelayMs": 4000, "Body": {"delayed": True, "seconds": 4}})
method(dt, "Large Response (10 MB)", "Returns about 100,000 records (~10 MB of JSON).", "Large Responses", DTB + "/stream/100000",
       {"Kind": "large", "Count": 100000, "PadBytes": 0, "Wrap": "records"})
method(dt, "Large Response (50 MB)", "Returns 100,000 records (~50 MB of JSON).", "Large Responses", DTB + "/stream/100000?pad=400",
       {"Kind": "large", "Count": 100000, "PadBytes": 400, "Wrap": "records"})
method(dt, "Large Paged List", "100,000 generated records, paged by the Page and Page Size parameters (default 100 per page).", "Large Responses",
       DTB + "/records", {"Kind": "large", "Count": 100000, "PadBytes": 0, "DefaultPageSize": 100}, params=page_params())
method(dt, "HTML Error Page (502)", "The third party answers 502 with an HTML error page.", "Errors", DTB + "/status/502",
       {"Kind": "html_error", "Status": 502, "Body": "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.25.3</center>\n</body></html>\n"})
method(dt, "Rate Limited (429)", "The third party answers 429 with a JSON error.", "Errors", DTB + "/status/429",
       {"Kind": "error", "Status": 429, "Body": {"error": "rate_limited", "message": "Too many requests, retry after 30 seconds."}})
method(dt, "Internal Error (500)", "The third party answers 500 with a JSON error.", "Errors", DTB + "/status/500",
       {"Kind": "error", "Status": 500, "Body": {"Message": "An error has occurred.", "ExceptionMessage": "Object reference not set to an instance of an object."}})
method(dt, "CSV Export", "Returns a CSV document (text/csv), not JSON.", "Non-JSON", DTB + "/export.csv",
       {"Kind": "text", "ContentType": "text/csv; charset=utf-8", "Body": "id,name,email,created\n1,Ada Lovelace,ada.lovelace@acme.example,2024-02-11\n2,Grace Hopper,grace.hopper@globex.example,2024-03-04\n3,\"García, José\",jose.garcia@example.es,2024-08-19\n"})
method(dt, "Plain Text", "Returns plain text (text/plain).", "Non-JSON", DTB + "/robots.txt",
       {"Kind": "text", "ContentType": "text/plain; charset=utf-8", "Body": "User-agent: *\nDisallow: /deny\n"})
HOSTILE = {
    "clear_screen": "before\u001b[2Jafter",
    "clipboard_write": "copy me \u001b]52;c;aGVsbG8=\u0007 done",
    "hyperlink": "\u001b]8;;https://evil.example/\u0007click here\u001b]8;;\u0007",
    "title_change": "\u001b]0;pwned\u0007window title",
    "c0_controls": "bell\u0007 backspace\u0008 vt\u000b ff\u000c cr\r nul-ish\u0001\u0002\u001f del\u007f",
    "c1_controls": "csi\u009b31m nel\u0085 st\u009c osc\u009d",
    "bidi_override": "invoice_\u202egnp.exe\u202c (looks like .png)",
    "zero_width": "pay\u200bpal\u200d.example\ufeff",
    "wide_cjk": "株式会社アクメ・コーポレーション 東京本社 営業部",
    "emoji": "🚀🔥👩‍👩‍👧‍👦🇬🇧 ✔︎",
    "combining": "Z\u0351\u0352\u0353a\u0300\u0301\u0302l\u0303\u0304go",
    "long_line": "x" * 5000,
    "nested": {"\u001b[31mkey with escape\u001b[0m": ["\u202eright-to-left", "tab\tseparated\tvalues", "line1\nline2\r\nline3"]},
}
method(dt, "Hostile Text \u001b[2J\u001b]52;c;aGVsbG8=\u0007", "Returns strings with terminal escapes \u001b[31m(red)\u001b[0m, control characters, bidi overrides \u202eand wide text.",
       "Hostile", DTB + "/hostile", {"Kind": "hostile", "Body": {"records": [HOSTILE, {"name": "Normal record", "value": 42}]}})
records[9001] = {}

# ---------------- Acme Platform (partner connector) ----------------
ap = connector(9100, "Acme Platform", "Acme's own platform API (native partner connector).", "1.4", "ApiKey", "Unknown", "X-Acme-Key",
               ["Partner"], (200, 30, 30), "Uses the partner's platform key.")
APB = "https://api.acme.example/v1"
crud(ap, "projects", "Project", "Projects", "Projects", APB + "/projects", "Project Id", "id",
     [("Name", "name", "", T, False, None), ("Owner Email", "owner.email", "", T, O, None), ("Budget", "budget", "", "Decimal", O, None),
      ("Active", "active", "", "Boolean", O, None)],
     [("Id", "id", "", "Integer"), ("Name", "name", "", T)], delete=False, update=False)
records[9100] = {"projects": [
    {"id": 101, "name": "Website relaunch", "owner": {"email": "ada.lovelace@acme.example"}, "budget": 25000.0, "active": True},
    {"id": 102, "name": "ERP migration", "owner": {"email": "grace.hopper@globex.example"}, "budget": 180000.0, "active": False}]}

# ---------------- Bulk (generated methods) ----------------
bulk = connector(9999, "Bulk Test Connector", "Generated connector with thousands of methods, for benchmarks.", "1.0", "ApiKey", "Unknown", None,
                 ["Developer Tools"], (120, 120, 200), "Any API key works.")
bulk["GeneratedMethods"] = 5000

# ---------------- Lookups and later parameters ----------------
# Added after everything else so that every id above stays as it was: new parameter ids
# continue from the last one, new methods go at the end of their connector.
def triggers(source, name, label_key, id_key):
    """Cyclr's Triggers: look the values up by calling `source` and reading two keys of its reply."""
    return [{"AccountConnectorId": 0, "MethodId": source["Id"], "Name": name, "HumanReadableKey": label_key,
             "IdentifierKey": id_key, "SubTriggers": [], "EntityId": 0}]
def find(c, name): return next(m for m in c["Methods"] if m["Name"] == name)
def element(c, method_name, name, section="Parameters"):
    return next(e for e in find(c, method_name)[section] if e["Name"] == name)
def add_param(m, p):
    p.pop("_role", None); p["DisplayOrder"] = len(m["Parameters"]) + 1; m["Parameters"].append(p); return p

# Salesforce: contact ids, account ids, lead statuses and industries come from lists.
sf_contacts = triggers(find(sf, "List Contacts"), "Contacts", "[records].Email", "[records].Id")
for m in ("Get Contact", "Update Contact", "Delete Contact"):
    element(sf, m, "Contact Id")["Triggers"] = sf_contacts
for m in ("Create Contact", "Update Contact"):
    element(sf, m, "Account Id", "RequestFields")["Triggers"] = triggers(find(sf, "List Accounts"), "Accounts", "[records].Name", "[records].Id")
for m in ("Create Lead", "Update Lead"):
    element(sf, m, "Status", "RequestFields")["Triggers"] = triggers(find(sf, "List Lead Statuses"), "Lead Statuses", "[values].label", "[values].value")
element(sf, "Create Account", "Industry", "RequestFields")["Triggers"] = triggers(find(sf, "List Industries"), "Industries", "[values].label", "[values].value")
# Salesforce List Contacts: a status with allowed values (it filters) and a date and time.
lc = find(sf, "List Contacts")
status = add_param(lc, P("Status", "Only contacts with this status.", values=["Active", "Inactive", "Archived"], tname="status"))
since = add_param(lc, P("Modified Since", "Only contacts changed on or after this date and time (ISO 8601); the sandbox compares it with CreatedDate.",
                        dtype="DateTime", tname="modifiedSince"))
lc["Behaviour"].setdefault("Filters", []).append({"Parameter": status["Id"], "Key": "Status"})
lc["Behaviour"]["Since"] = {"Parameter": since["Id"], "Key": "CreatedDate"}

# HubSpot: contact ids (the email is nested in the items) and deal stages.
hs_contacts = triggers(find(hs, "List Contacts"), "Contacts", "[results].properties.email", "[results].id")
for m in ("Get Contact", "Update Contact", "Delete Contact"):
    element(hs, m, "Contact Id")["Triggers"] = hs_contacts
element(hs, "Create Deal", "Deal Stage", "RequestFields")["Triggers"] = triggers(find(hs, "List Deal Stages"), "Deal Stages", "[results].label", "[results].value")

# Mailchimp: the audience of List Members.
element(mc, "List Members", "List Id")["Triggers"] = triggers(find(mc, "List Audiences"), "Audiences", "[lists].name", "[lists].id")

# Xero: invoice statuses and contacts.
xe_statuses = triggers(find(xe, "List Invoice Statuses"), "Invoice Statuses", "[values].label", "[values].value")
element(xe, "List Invoices", "Statuses")["Triggers"] = xe_statuses
element(xe, "Create Invoice", "Status", "RequestFields")["Triggers"] = xe_statuses
xe_contacts = triggers(find(xe, "List Contacts"), "Contacts", "[Contacts].Name", "[Contacts].ContactID")
for m in ("Get Contact", "Update Contact"):
    element(xe, m, "Contact ID")["Triggers"] = xe_contacts
element(xe, "Create Invoice", "Contact ID", "RequestFields")["Triggers"] = xe_contacts

# HTTP Bin: a lookup with 10,000 choices, for benchmarks.
big = method(dt, "Lookup Source (10,000 items)", "Returns 10,000 generated records in \"records\": the source of Pick From Big List's lookup.",
             "Large Responses", DTB + "/stream/10000", {"Kind": "large", "Count": 10000, "PadBytes": 0, "Wrap": "records"})
pick_item = P("Item Id", "One of the 10,000 records of Lookup Source (10,000 items).", optional=False, tname="item_id")
method(dt, "Pick From Big List", "Echoes the item picked; its Item Id is looked up in Lookup Source (10,000 items).", "Diagnostics",
       DTB + "/anything/pick", {"Kind": "echo"}, params=[pick_item])
pick_item["Triggers"] = triggers(big, "Big list", "[records].name", "[records].id")

for c in connectors:
    for m in c["Methods"]:
        for e in m["Parameters"] + m["RequestFields"] + m["ResponseFields"]:
            e.pop("_role", None)

oauth = lambda at, rt: json.dumps({"AccessToken": at, "RefreshToken": rt, "Expires": "2025-06-30T14:03:11Z", "RefreshExpires": "2026-06-30T13:03:11Z"})
def ac(i, acc, cid, name, desc, auth, authval, props=(), partner=False):
    return {"Id": i, "AccountId": acc, "ConnectorId": cid, "Name": name, "Description": desc, "AuthValue": authval, "Authenticated": auth,
            "IsPartnerIntegrationConnector": partner,
            "Properties": [{"Id": i * 10 + k, "Name": n, "Value": v} for k, (n, v) in enumerate(props, 1)]}
RESTRICTED = "8f14e45f-ceea-4c67-9f6e-2b1d3c5a7e90"
account_connectors = [
    ac(204511, "acme-prod", 5122, "Salesforce (Sales Team)", "Production org used by the sales team.", True,
       oauth("00D5g000004Xy1A!AQ4AQFakeSalesforceAccessTokenDoNotUse.x7Yb2", "5Aep861FakeRefreshTokenDoNotUse9Zq"), [("InstanceUrl", "acme.my.salesforce.com"), ("ApiVersion", "v58.0"),
        ("ClientSecret", "sf-FAKE-client-secret-3c9d41"), ("WebhookSecret", "whsec_FAKE_5b1e7a20c4")]),
    ac(204512, "acme-prod", 5122, "Salesforce (Support Sandbox)", "Not yet authenticated: sandbox org for support.", False, None, [("InstanceUrl", "acme--support.sandbox.my.salesforce.com")]),
    ac(204513, "acme-prod", 4381, "HubSpot Marketing", "Marketing portal 2458123.", True, oauth("CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4", "de5a1f2b-FAKE-REFRESH-4f6e")),
    ac(204514, "acme-prod", 3310, "Mailchimp Newsletter", None, True, "3f9a0c7d2b8e4f1a6c5d9e0b7a3f2c1d-us21", [("DataCenter", "us21")]),
    ac(204515, "acme-prod", 6021, "Shopify – Acme Store EU", "EU storefront.", True, "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", [("ShopName", "acme-store-eu")]),
    ac(204516, "acme-prod", 6021, "Shopify – Acme Store US", "US storefront (token pending).", False, None, [("ShopName", "acme-store-us")]),
    ac(204517, "acme-prod", 2750, "Slack #ops", "Posts alerts to #ops-alerts.", True, oauth("xoxb-1234567890-FAKE-SLACK-BOT-TOKEN", "xoxe-1-FAKE-REFRESH")),
    ac(204518, "acme-prod", 4907, "Xero (Acme Ltd)", "UK ledger.", True, oauth("eyJhbGciOiJSUzI1NiIsImtpZCI6IkZBS0UifQ.fake.xero", "xero-refresh-FAKE-91b2")),
    ac(204519, "acme-prod", 3902, "Support Desk \u001b[31m(red)\u001b[0m \u202eksed\u202c\u200b", "Imported from a CSV: \u001b[2J\u001b]52;c;aGVsbG8=\u0007 name contains escapes.", True,
       base64.b64encode(b"agent@initech.example/token:zd-FAKE-api-token-7c1e").decode(), [("Subdomain", "initech")]),
    ac(204520, "acme-prod", 9001, "HTTP Bin (Demo Tools)", "Slow, large, broken and hostile responses for trying the explorer.", True, "demo-tools-key-0000"),
    ac(204521, "acme-prod", 9100, "Acme Platform (native)", "Native partner connector: exempt from the IP allow-list.", True, "acme-platform-key-FAKE-41", partner=True),
    ac(318801, RESTRICTED, 5122, "Salesforce (Globex)", "Globex production org.", True, oauth("00D7e000001Gb2C!FAKE-GLOBEX-TOKEN", "5Aep861GLOBEXFAKE"), [("InstanceUrl", "globex.my.salesforce.com")]),
    ac(318802, RESTRICTED, 4381, "HubSpot (Globex)", None, True, oauth("CKX-GLOBEX-FAKE-HUBSPOT", "globex-refresh-FAKE")),
    ac(318803, RESTRICTED, 9100, "Acme Platform (native)", "Native partner connector: exempt from the IP allow-list.", True, "acme-platform-key-FAKE-42", partner=True),
    ac(204601, "acme-staging", 5122, "Salesforce (Staging)", None, False, None),
    ac(204602, "acme-staging", 9001, "HTTP Bin (Staging)", None, True, "demo-tools-key-0001"),
    ac(700001, "big-account", 9999, "Bulk Test Connector (5,000 methods)", "Benchmark connector.", True, "bulk-key"),
]

def account(i, name, desc, tz, created, allow, **extra):
    a = {"Id": i, "Name": name, "Description": desc, "CreatedDate": created, "AuditInfo": None, "TaskAuditInfo": None, "Timezone": tz,
         "NextBillDateUtc": "2025-07-01T00:00:00Z", "StepDataSuccessRetentionHours": None, "StepDataErroredRetentionHours": 168,
         "TransactionErrorWebhookEnabled": False, "TransactionErrorWebhookUrl": None, "TransactionErrorWebhookIncludeWarnings": False,
         "IpAllowList": allow}
    a.update(extra); return a
accounts = {
    "Credentials": {"ClientId": "sandbox-demo-client", "ClientSecret": "sandbox-demo-secret-4f7c2a91", "StaticToken": "sandbox-static-token-9d3e6b20",
                    "DemoAccountId": "acme-prod", "RestrictedAccountId": RESTRICTED},
    "Accounts": [
        account("acme-prod", "Acme Corp (Production)", "Main production account.", "Europe/London", "2023-09-14T10:22:31.000Z", ["127.0.0.1", "::1"]),
        account(RESTRICTED, "Globex Industries (EU)", "Account whose IP allow-list excludes this machine.", "Europe/Berlin", "2024-01-08T07:00:00.000Z", ["203.0.113.0/24", "198.51.100.7"]),
        account("acme-staging", "Acme Corp (Staging)", "Staging copy of production.", "Europe/London", "2024-02-01T12:00:00.000Z", ["127.0.0.1", "::1"]),
        account("initech-trial", "Initech (Trial)", None, "America/Chicago", "2024-10-30T15:45:00.000Z", ["127.0.0.1", "::1"]),
        account("big-account", "Benchmark Account (10,000 connectors)", "Generated account for benchmarks.", "Etc/UTC", "2025-01-01T00:00:00.000Z", ["127.0.0.1", "::1"], GeneratedConnectors=10000),
    ],
}

def dump(name, obj):
    with open(OUT + name, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
dump("accounts.json", accounts)
dump("connectors.json", {"Connectors": connectors})
dump("account_connectors.json", {"AccountConnectors": account_connectors})
dump("records.json", {"Records": {str(k): v for k, v in records.items()}})
