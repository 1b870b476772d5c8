/** Invoices as documents: the PDF of an issued invoice, written with OpenPDF. */
package dev.switchboard.payments.invoices;
