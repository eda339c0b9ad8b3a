"""The GSO's PX-Web CSV exports, one source whose layout names every observation."""
