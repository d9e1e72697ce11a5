"""Use cases: one function per thing a person does. Each names the acting person,
validates its input, writes in one transaction and logs every changed field."""
