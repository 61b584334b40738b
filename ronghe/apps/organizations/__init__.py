"""Organisations (enterprises, consultancies, assessment bodies, authorities) and the code tables
they are classified by: GB/T 2260 regions and GB/T 4754-2017 industries."""
