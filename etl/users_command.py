"""The ``python -m etl users add|list|remove|password`` command: prompts and printed text.

The accounts themselves (file, lock, hashes, sessions) are etl.users'; the role names and labels
are etl.roles'. A request etl.users cannot carry out becomes Refused (exit code 2).
"""

from __future__ import annotations

import getpass
import sys

from . import db, roles, users
from .commands import Refused
from .users import UserError


def _password_from(args, prompt: str) -> str:
    """--password, else asked twice without echo."""
    if args.password is not None:
        return args.password
    password = getpass.getpass(prompt)
    if getpass.getpass("Ulangi kata sandi: ") != password:
        raise UserError("Kata sandi tidak sama.")
    return password


def command(args, db_path) -> int:
    """``python -m etl users add|list|remove|password`` (wired in etl/cli.py)."""
    try:
        if args.action == "add":
            password = _password_from(args, f"Kata sandi untuk {args.username}: ")
            account = users.add_user(args.username, password, args.role, name=args.name,
                                     rm_id=args.rm_id)
            print(f"Pengguna '{account.username}' ({roles.label(account.role)}) ditambahkan di "
                  f"{users.users_path()}.")
            if account.role == "rm":
                _warn_unknown_rm(account.rm_id, db_path)
            return 0
        if args.action == "list":
            listed = users.list_users()
            if not listed:
                print(f"Belum ada pengguna ({users.users_path()}). Tambahkan dengan: "
                      f"python -m etl users add NAMA --role {'|'.join(roles.ACCOUNT_ROLES)}")
            for u in listed:
                area = f"  wilayah {u['rm_id']}" if u["rm_id"] else ""
                print(f"{u['username']:<20} {u['role']:<9} {u['name']}{area}")
            is_demo, _ = users.database_facts(db_path)
            if is_demo:
                print("Basis data ini adalah DEMO: akun rm, pimpinan, admin (sandi <nama>-demo) "
                      "juga berlaku, hanya untuk basis data demo.")
            return 0
        if args.action == "remove":
            if not users.remove_user(args.username):
                raise UserError(f"Pengguna '{args.username}' tidak ada.")
            print(f"Pengguna '{args.username}' dihapus; sesinya diakhiri.")
            return 0
        if args.action == "password":
            users.set_password(args.username,
                         _password_from(args, f"Kata sandi baru untuk {args.username}: "))
            print(f"Kata sandi '{args.username}' diganti; semua sesinya diakhiri.")
            return 0
    except UserError as exc:
        raise Refused(str(exc)) from None
    raise Refused(f"Aksi tidak dikenal: {args.action}")


def _warn_unknown_rm(rm_id: str | None, db_path) -> None:
    if not rm_id or db.file_identity(db_path) is None:
        return
    if rm_id not in users.known_rm_ids(db_path):
        print(f"Peringatan: wilayah RM '{rm_id}' belum ada di basis data (muat berkas rm-areas); "
              "pengguna ini belum melihat data apa pun.", file=sys.stderr)
